package vector

import "math/bits"

// hammingAll writes to dist[i], for every i < len(dist), the Hamming distance between
// the i-th 4-word (256-bit) code of codes and q. It is the hot loop of a binary search
// at scale: on amd64 with POPCNT it runs in assembly (hamming_amd64.s), because Go code
// built for the default GOAMD64=v1 tests for POPCNT at every bits.OnesCount64 and runs a
// third slower; elsewhere it is this Go loop.
func hammingAllGo(codes []uint64, q *[4]uint64, dist []uint16) {
	codes = codes[:4*len(dist)]
	q0, q1, q2, q3 := q[0], q[1], q[2], q[3]
	for i := range dist {
		cw := codes[i*4 : i*4+4 : i*4+4]
		dist[i] = uint16(bits.OnesCount64(cw[0]^q0) + bits.OnesCount64(cw[1]^q1) +
			bits.OnesCount64(cw[2]^q2) + bits.OnesCount64(cw[3]^q3))
	}
}
