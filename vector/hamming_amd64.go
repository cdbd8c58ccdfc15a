//go:build amd64 && !purego

package vector

import "golang.org/x/sys/cpu"

//go:noescape
func hammingAllPOPCNT(codes *uint64, q *[4]uint64, dist *uint16, n int)

func hammingAll(codes []uint64, q *[4]uint64, dist []uint16) {
	if len(dist) == 0 {
		return
	}
	if !cpu.X86.HasPOPCNT {
		hammingAllGo(codes, q, dist)
		return
	}
	_ = codes[4*len(dist)-1] // bounds check once, for the assembly
	hammingAllPOPCNT(&codes[0], q, &dist[0], len(dist))
}
