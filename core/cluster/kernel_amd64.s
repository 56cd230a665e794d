//go:build amd64 && !purego

#include "textflag.h"

// The kernels compute, per lane, e = x[t] - c[t]; s += e*e with separate
// subtract, multiply and add instructions (no fused multiply-add) over t in
// increasing order, so every sum is bit-identical to the pure-Go loops.

// func cpuid(leaf, sub uint32) (a, b, c, d uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, a+8(FP)
	MOVL BX, b+12(FP)
	MOVL CX, c+16(FP)
	MOVL DX, d+20(FP)
	RET

// func xgetbv0() (lo, hi uint32)
TEXT ·xgetbv0(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, lo+0(FP)
	MOVL DX, hi+4(FP)
	RET

DATA lanes0123<>+0(SB)/8, $0
DATA lanes0123<>+8(SB)/8, $1
DATA lanes0123<>+16(SB)/8, $2
DATA lanes0123<>+24(SB)/8, $3
GLOBL lanes0123<>(SB), RODATA|NOPTR, $32

// MERGE folds the four sums in ACC (centres Y3, as int64 lanes) into the
// per-lane running minimum Y0, second minimum Y1 and index Y2, exactly as the
// sequential "if s < d2 { if s < d1 {...} else {...} }" does for the centres
// of one lane taken in increasing order: d2 = min(d2, max(s, d1)),
// d1 = min(d1, s), index replaced where s < d1.
#define MERGE(ACC) \
	VCMPPD    $1, Y0, ACC, Y10 \
	VMAXPD    Y0, ACC, Y11     \
	VMINPD    Y11, Y1, Y1      \
	VMINPD    ACC, Y0, Y0      \
	VBLENDVPD Y10, Y3, Y2, Y2

// HMERGE merges the (minimum, second minimum, index) lanes X12, X13, X14 into
// X0, X1, X2: the lower minimum wins, the lower index on equal minima; the
// second minimum is the smaller of the larger minimum and both second minima.
#define HMERGE \
	VCMPPD    $1, X0, X12, X10 \
	VCMPPD    $0, X0, X12, X11 \
	VPCMPGTQ  X14, X2, X15     \
	VPAND     X15, X11, X11    \
	VPOR      X11, X10, X10    \
	VMAXPD    X0, X12, X11     \
	VMINPD    X13, X1, X1      \
	VMINPD    X11, X1, X1      \
	VMINPD    X12, X0, X0      \
	VBLENDVPD X10, X14, X2, X2

DATA posInf<>+0(SB)/8, $0x7FF0000000000000
GLOBL posInf<>(SB), RODATA|NOPTR, $8

// func nearest2RowsAVX2(x, ct []float64, d, groups int, xo, best []int, d1, d2 []float64)
//
// For each i < len(xo), nearest2RowsAVX2 sets best[i], d1[i] and d2[i] to the
// result of nearest2's loop over the groups of four centres for the row
// x[xo[i]:xo[i]+d]: the lowest index of the nearest centre, its squared
// distance and the second smallest squared distance (+Inf for both when
// groups == 0). ct holds groups·4·d values interleaved as by
// transposeGroups. The offsets and lengths are not checked.
TEXT ·nearest2RowsAVX2(SB), NOSPLIT, $0-160
	MOVQ         d+48(FP), CX
	MOVQ         CX, R8
	SHLQ         $5, R8                  // bytes per group: 4·d·8
	MOVQ         $4, AX
	VMOVQ        AX, X4
	VPBROADCASTQ X4, Y4                  // 4 per lane
	XORQ         DX, DX                  // i

row:
	CMPQ DX, xo_len+72(FP)
	JGE  end
	MOVQ xo_base+64(FP), AX
	MOVQ (AX)(DX*8), SI
	MOVQ x_base+0(FP), AX
	LEAQ (AX)(SI*8), SI                  // the row
	MOVQ ct_base+24(FP), DI
	MOVQ groups+56(FP), BX

	VBROADCASTSD posInf<>(SB), Y0        // d1
	VMOVAPD      Y0, Y1                  // d2
	VPXOR        Y2, Y2, Y2              // index 0
	VMOVDQU      lanes0123<>(SB), Y3     // centres of the group

pairs:
	CMPQ BX, $2
	JLT  single
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	MOVQ   SI, R9
	MOVQ   DI, R10
	LEAQ   (DI)(R8*1), R11
	MOVQ   CX, R12
	TESTQ  R12, R12
	JEQ    pairsum

pairloop:
	VBROADCASTSD (R9), Y7
	VSUBPD       (R10), Y7, Y8
	VSUBPD       (R11), Y7, Y9
	VMULPD       Y8, Y8, Y8
	VMULPD       Y9, Y9, Y9
	VADDPD       Y8, Y5, Y5
	VADDPD       Y9, Y6, Y6
	ADDQ         $8, R9
	ADDQ         $32, R10
	ADDQ         $32, R11
	DECQ         R12
	JNZ          pairloop

pairsum:
	MERGE(Y5)
	VPADDQ Y4, Y3, Y3
	MERGE(Y6)
	VPADDQ Y4, Y3, Y3
	LEAQ   (DI)(R8*2), DI
	SUBQ   $2, BX
	JMP    pairs

single:
	TESTQ  BX, BX
	JEQ    horizontal
	VXORPD Y5, Y5, Y5
	MOVQ   SI, R9
	MOVQ   DI, R10
	MOVQ   CX, R12
	TESTQ  R12, R12
	JEQ    singlesum

singleloop:
	VBROADCASTSD (R9), Y7
	VSUBPD       (R10), Y7, Y8
	VMULPD       Y8, Y8, Y8
	VADDPD       Y8, Y5, Y5
	ADDQ         $8, R9
	ADDQ         $32, R10
	DECQ         R12
	JNZ          singleloop

singlesum:
	MERGE(Y5)

horizontal:
	// Lanes 0, 1 against lanes 2, 3, then lane 0 against lane 1.
	VEXTRACTF128 $1, Y0, X12
	VEXTRACTF128 $1, Y1, X13
	VEXTRACTI128 $1, Y2, X14
	HMERGE
	VPERMILPD    $1, X0, X12
	VPERMILPD    $1, X1, X13
	VPSHUFD      $0x4E, X2, X14
	HMERGE

	MOVQ   best_base+88(FP), AX
	VMOVQ  X2, (AX)(DX*8)
	MOVQ   d1_base+112(FP), AX
	VMOVSD X0, (AX)(DX*8)
	MOVQ   d2_base+136(FP), AX
	VMOVSD X1, (AX)(DX*8)
	INCQ   DX
	JMP    row

end:
	VZEROUPPER
	RET

// func dist4RowsAVX2(x, ct []float64, d int, xo []int, out []float64)
//
// For each i < len(xo), dist4RowsAVX2 sets out[4i+j] to the squared distance
// from the row x[xo[i]:xo[i]+d] to centre j of the four interleaved in ct
// (ct[4t+j] is coordinate t of centre j). The offsets and lengths are not
// checked.
TEXT ·dist4RowsAVX2(SB), NOSPLIT, $0-104
	MOVQ x_base+0(FP), AX
	MOVQ ct_base+24(FP), R8
	MOVQ d+48(FP), R9
	MOVQ xo_base+56(FP), R10
	MOVQ xo_len+64(FP), R11
	MOVQ out_base+80(FP), DX

row:
	TESTQ  R11, R11
	JEQ    end
	MOVQ   (R10), SI
	LEAQ   (AX)(SI*8), SI
	MOVQ   R8, DI
	MOVQ   R9, CX
	VXORPD Y5, Y5, Y5
	TESTQ  CX, CX
	JEQ    store

loop:
	VBROADCASTSD (SI), Y7
	VSUBPD       (DI), Y7, Y8
	VMULPD       Y8, Y8, Y8
	VADDPD       Y8, Y5, Y5
	ADDQ         $8, SI
	ADDQ         $32, DI
	DECQ         CX
	JNZ          loop

store:
	VMOVUPD Y5, (DX)
	ADDQ    $32, DX
	ADDQ    $8, R10
	DECQ    R11
	JMP     row

end:
	VZEROUPPER
	RET

// func sqdistRowsAVX2(x, cs []float64, d int, xo, co []int, out []float64)
//
// sqdistRowsAVX2 sets out[i] to the squared distance between
// x[xo[i]:xo[i]+d] and cs[co[i]:co[i]+d] for i < len(out)&^3 (the offsets
// must be in range; they are not checked), four pairs at a time: the squared
// differences of four coordinates of four pairs are transposed so that one
// vector addition adds coordinate t of all four sums, in increasing t.
TEXT ·sqdistRowsAVX2(SB), NOSPLIT, $0-128
	XORQ DX, DX                    // i

block:
	MOVQ out_len+112(FP), CX
	ANDQ $-4, CX
	CMPQ DX, CX
	JGE  end

	MOVQ xo_base+56(FP), CX
	MOVQ (CX)(DX*8), R8
	MOVQ 8(CX)(DX*8), R9
	MOVQ 16(CX)(DX*8), R10
	MOVQ 24(CX)(DX*8), R11
	MOVQ x_base+0(FP), CX
	LEAQ (CX)(R8*8), R8
	LEAQ (CX)(R9*8), R9
	LEAQ (CX)(R10*8), R10
	LEAQ (CX)(R11*8), R11
	MOVQ co_base+80(FP), CX
	MOVQ (CX)(DX*8), R12
	MOVQ 8(CX)(DX*8), R13
	MOVQ 16(CX)(DX*8), SI
	MOVQ 24(CX)(DX*8), DI
	MOVQ cs_base+24(FP), CX
	LEAQ (CX)(R12*8), R12
	LEAQ (CX)(R13*8), R13
	LEAQ (CX)(SI*8), SI
	LEAQ (CX)(DI*8), DI
	XORQ AX, AX                    // byte offset of coordinate t
	MOVQ d+48(FP), BX              // coordinates left
	VXORPD Y0, Y0, Y0

quad:
	CMPQ    BX, $4
	JLT     tail
	VMOVUPD (R8)(AX*1), Y1
	VSUBPD  (R12)(AX*1), Y1, Y1
	VMULPD  Y1, Y1, Y1
	VMOVUPD (R9)(AX*1), Y2
	VSUBPD  (R13)(AX*1), Y2, Y2
	VMULPD  Y2, Y2, Y2
	VMOVUPD (R10)(AX*1), Y3
	VSUBPD  (SI)(AX*1), Y3, Y3
	VMULPD  Y3, Y3, Y3
	VMOVUPD (R11)(AX*1), Y4
	VSUBPD  (DI)(AX*1), Y4, Y4
	VMULPD  Y4, Y4, Y4
	VUNPCKLPD  Y2, Y1, Y5          // q0[0] q1[0] q0[2] q1[2]
	VUNPCKHPD  Y2, Y1, Y6          // q0[1] q1[1] q0[3] q1[3]
	VUNPCKLPD  Y4, Y3, Y7          // q2[0] q3[0] q2[2] q3[2]
	VUNPCKHPD  Y4, Y3, Y8          // q2[1] q3[1] q2[3] q3[3]
	VPERM2F128 $0x20, Y7, Y5, Y1   // coordinate t of the four pairs
	VPERM2F128 $0x20, Y8, Y6, Y2   // t+1
	VPERM2F128 $0x31, Y7, Y5, Y3   // t+2
	VPERM2F128 $0x31, Y8, Y6, Y4   // t+3
	VADDPD     Y1, Y0, Y0
	VADDPD     Y2, Y0, Y0
	VADDPD     Y3, Y0, Y0
	VADDPD     Y4, Y0, Y0
	ADDQ       $32, AX
	SUBQ       $4, BX
	JMP        quad

tail:
	TESTQ       BX, BX
	JEQ         store
	VMOVSD      (R8)(AX*1), X1
	VSUBSD      (R12)(AX*1), X1, X1
	VMULSD      X1, X1, X1
	VMOVSD      (R9)(AX*1), X2
	VSUBSD      (R13)(AX*1), X2, X2
	VMULSD      X2, X2, X2
	VMOVSD      (R10)(AX*1), X3
	VSUBSD      (SI)(AX*1), X3, X3
	VMULSD      X3, X3, X3
	VMOVSD      (R11)(AX*1), X4
	VSUBSD      (DI)(AX*1), X4, X4
	VMULSD      X4, X4, X4
	VUNPCKLPD   X2, X1, X1
	VUNPCKLPD   X4, X3, X3
	VINSERTF128 $1, X3, Y1, Y1
	VADDPD      Y1, Y0, Y0
	ADDQ        $8, AX
	DECQ        BX
	JMP         tail

store:
	MOVQ    out_base+104(FP), CX
	VMOVUPD Y0, (CX)(DX*8)
	ADDQ    $4, DX
	JMP     block

end:
	VZEROUPPER
	RET
