package vector

import "math/bits"

// distances writes to dist[i], for every i < len(dist), the Hamming distance between
// the i-th w-word code of codes and q. It is the hot loop of a binary search at scale.
// 256-bit codes (the local embedder's 256-d) go through hammingAll, which on amd64 with
// POPCNT runs in assembly (hamming_amd64.s): Go built for the default GOAMD64=v1 tests
// for POPCNT at every bits.OnesCount64 and runs a third slower.
func distances(codes, q []uint64, w int, dist []uint16) {
	if w == 4 {
		hammingAll(codes, (*[4]uint64)(q), dist)
		return
	}
	for i := range dist {
		h := 0
		for j, x := range codes[i*w : (i+1)*w] {
			h += bits.OnesCount64(x ^ q[j])
		}
		dist[i] = uint16(h)
	}
}

// hammingAllGo is hammingAll in Go: the fallback, and the reference the kernel is tested
// against.
func hammingAllGo(codes []uint64, q *[4]uint64, dist []uint16) {
	codes = codes[:4*len(dist)]
	q0, q1, q2, q3 := q[0], q[1], q[2], q[3]
	for i := range dist {
		cw := codes[i*4 : i*4+4 : i*4+4]
		dist[i] = uint16(bits.OnesCount64(cw[0]^q0) + bits.OnesCount64(cw[1]^q1) +
			bits.OnesCount64(cw[2]^q2) + bits.OnesCount64(cw[3]^q3))
	}
}
