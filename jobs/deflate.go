package jobs

import (
	"encoding/binary"
	"math/bits"
)

// A deflate encoder for the short texts of a task (a job's payload, an
// audit entry's request), which are mostly copies of their task's
// dictionary. compress/flate clears 640 KB of tables and hashes the whole
// dictionary again for every text it is reset for; here the dictionary is
// indexed once (dictIndex, read only, shared) and each text costs its own
// length. The output is one final block with the fixed Huffman codes
// (RFC 1951 3.2.6), read by flate.NewReaderDict as any other stream: for
// texts of a few hundred bytes a dynamic block's code tables cost more
// than they save.

const (
	zHashBits  = 14
	zMinMatch  = 4
	zMaxMatch  = 258
	zWindow    = 1 << 15
	zMaxChain  = 16 // dictionary candidates tried per position
	zSelfBits  = 10
	zEndOfData = 256
)

func zhash(u uint32, bits uint) uint32 { return (u * 0x1e35a7bd) >> (32 - bits) }

// dictIndex finds, for four bytes, the positions of the dictionary where
// they occur (the last first).
type dictIndex struct {
	data []byte  // at most the last zWindow bytes of the dictionary
	head []int32 // by hash: position + 1, 0 for none
	prev []int32 // by position: the previous position + 1 with the same hash
}

func newDictIndex(dict []byte) *dictIndex {
	if len(dict) > zWindow {
		dict = dict[len(dict)-zWindow:]
	}
	x := &dictIndex{data: dict, head: make([]int32, 1<<zHashBits), prev: make([]int32, len(dict))}
	for i := 0; i+zMinMatch <= len(dict); i++ {
		h := zhash(binary.LittleEndian.Uint32(dict[i:]), zHashBits)
		x.prev[i] = x.head[h]
		x.head[h] = int32(i + 1)
	}
	return x
}

// Length and distance codes (RFC 1951 3.2.5).
var (
	zLenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	zLenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	zDistBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	zDistExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// zbits writes bits least significant first.
type zbits struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *zbits) put(v uint32, n uint) {
	w.acc |= uint64(v) << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes a Huffman code of n bits (sent most significant bit first).
func (w *zbits) code(c uint32, n uint) { w.put(bits.Reverse32(c)>>(32-n), n) }

// literal writes a literal/length symbol in the fixed code.
func (w *zbits) literal(s int) {
	switch {
	case s < 144:
		w.code(uint32(0x30+s), 8)
	case s < 256:
		w.code(uint32(0x190+s-144), 9)
	case s < 280:
		w.code(uint32(s-256), 7)
	default:
		w.code(uint32(0xC0+s-280), 8)
	}
}

func (w *zbits) match(length, dist int) {
	i := 28
	for int(zLenBase[i]) > length {
		i--
	}
	w.literal(257 + i)
	if e := zLenExtra[i]; e > 0 {
		w.put(uint32(length-int(zLenBase[i])), uint(e))
	}
	d := 29
	for int(zDistBase[d]) > dist {
		d--
	}
	w.code(uint32(d), 5)
	if e := zDistExtra[d]; e > 0 {
		w.put(uint32(dist-int(zDistBase[d])), uint(e))
	}
}

// deflateFixed appends to out the raw deflate stream of b with the
// dictionary x (the window: the dictionary, then b).
func deflateFixed(out []byte, x *dictIndex, b []byte) []byte {
	dict := x.data
	nd := len(dict)
	// win is byte p of the window.
	win := func(p int) byte {
		if p < nd {
			return dict[p]
		}
		return b[p-nd]
	}
	// length is how far b from i matches the window from p (p < nd+i).
	length := func(p, i int) int {
		n := 0
		limit := min(zMaxMatch, len(b)-i)
		for ; p+n < nd && n < limit; n++ {
			if dict[p+n] != b[i+n] {
				return n
			}
		}
		for ; n < limit && win(p+n) == b[i+n]; n++ {
		}
		return n
	}
	var self [1 << zSelfBits]int32 // b's own positions + 1, by hash
	w := zbits{out: out}
	w.put(1, 1) // the final block
	w.put(1, 2) // fixed Huffman codes
	for i := 0; i < len(b); {
		best, bestDist := 0, 0
		if i+zMinMatch <= len(b) {
			u := binary.LittleEndian.Uint32(b[i:])
			if p := int(self[zhash(u, zSelfBits)]) - 1; p >= 0 && i-p <= zWindow {
				if n := length(nd+p, i); n > best {
					best, bestDist = n, i-p
				}
			}
			for c, tries := x.head[zhash(u, zHashBits)], 0; c > 0 && tries < zMaxChain; c, tries = x.prev[c-1], tries+1 {
				p := int(c) - 1
				dist := nd - p + i
				if dist > zWindow {
					break
				}
				if n := length(p, i); n > best {
					best, bestDist = n, dist
					if n == zMaxMatch || i+n == len(b) {
						break
					}
				}
			}
		}
		if best < zMinMatch {
			if i+zMinMatch <= len(b) {
				self[zhash(binary.LittleEndian.Uint32(b[i:]), zSelfBits)] = int32(i + 1)
			}
			w.literal(int(b[i]))
			i++
			continue
		}
		w.match(best, bestDist)
		for end := i + best; i < end; i++ {
			if i+zMinMatch <= len(b) {
				self[zhash(binary.LittleEndian.Uint32(b[i:]), zSelfBits)] = int32(i + 1)
			}
		}
	}
	w.literal(zEndOfData)
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	return w.out
}
