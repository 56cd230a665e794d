module github.com/segkit/segkit

go 1.26
