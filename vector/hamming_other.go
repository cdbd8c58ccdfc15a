//go:build !amd64 || purego

package vector

func hammingAll(codes []uint64, q *[4]uint64, dist []uint16) { hammingAllGo(codes, q, dist) }
