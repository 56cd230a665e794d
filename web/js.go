package main

import "github.com/vugu/vugu/js"

func jsDocument() js.Value { return js.Global().Get("document") }

// setValue sets obj[key] = v. (The Set method of vugu's js.Value passes its
// argument to syscall/js unconverted, which panics for a js.Value or js.Func;
// Call converts them.)
func setValue(obj js.Value, key string, v js.Value) {
	js.Global().Get("Reflect").Call("set", obj, key, v)
}
