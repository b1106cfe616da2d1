#pragma once
// Cap'n Proto's packed encoding, written a word at a time. Bulk imports encode one event per
// fact, and capnp's own packer (capnp::_::PackedOutputStream), which handles the message byte by
// byte, was a fifth of the importing thread's time on ICEWS18. The output is byte for byte what
// capnp::writePackedMessage writes (tests/codec/packed_test.cc checks it against capnp's packer),
// so stored values do not depend on which packer wrote them, and capnp's reader decodes them.
//
// The encoding (capnproto.org/encoding.html#packing): each 8-byte word becomes a tag byte whose
// bit i says byte i is non-zero, followed by the non-zero bytes. A tag of 0x00 is followed by a
// count (0-255) of further all-zero words; a tag of 0xff is followed by its 8 bytes and a count
// (0-255) of further words copied as they are, which capnp's packer ends at the first word with
// two or more zero bytes.

#include <cstddef>
#include <cstdint>

namespace geokg::codec {

// The most bytes PackWords writes for `words` words: 10 per word (tag, 8 bytes, a count).
constexpr size_t MaxPackedBytes(size_t words) { return words * 10; }

// Writes the packed encoding of `words` 8-byte words at `in` to `out` (room for
// MaxPackedBytes(words) bytes) and returns the number of bytes written. Like one write() to
// capnp's PackedOutputStream: zero and verbatim runs do not extend past the end of `in`.
size_t PackWords(const void* in, size_t words, char* out);
// The same bytes without SIMD (what PackWords runs on hosts without SSSE3); tests run both.
size_t PackWordsPortable(const void* in, size_t words, char* out);

}  // namespace geokg::codec
