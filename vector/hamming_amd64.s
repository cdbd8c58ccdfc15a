//go:build amd64 && !purego

#include "textflag.h"

// func hammingAllPOPCNT(codes *uint64, q *[4]uint64, dist *uint16, n int)
//
// For i in [0, n): dist[i] = popcount(codes[4i]^q[0]) + ... + popcount(codes[4i+3]^q[3]).
// The caller has checked that the CPU has POPCNT and that codes holds 4n words.
TEXT ·hammingAllPOPCNT(SB), NOSPLIT, $0-32
	MOVQ codes+0(FP), SI
	MOVQ q+8(FP), AX
	MOVQ dist+16(FP), DI
	MOVQ n+24(FP), CX
	MOVQ 0(AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	TESTQ CX, CX
	JLE done

loop:
	MOVQ 0(SI), AX
	XORQ R8, AX
	POPCNTQ AX, AX
	MOVQ 8(SI), BX
	XORQ R9, BX
	POPCNTQ BX, BX
	ADDQ BX, AX
	MOVQ 16(SI), DX
	XORQ R10, DX
	POPCNTQ DX, DX
	ADDQ DX, AX
	MOVQ 24(SI), BX
	XORQ R11, BX
	POPCNTQ BX, BX
	ADDQ BX, AX
	MOVW AX, 0(DI)
	ADDQ $32, SI
	ADDQ $2, DI
	DECQ CX
	JNZ loop

done:
	RET
