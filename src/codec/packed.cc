// Cap'n Proto's packed encoding a word at a time (codec/packed.h). Per word: one test for an
// all-zero word (common: unset pointers and fields), a zero-byte mask computed with word
// arithmetic, and the non-zero bytes moved to the front with one byte shuffle (SSSE3 `pshufb`,
// chosen at run time) or, without it, eight branch-free byte stores. The runs after a 0x00 and a
// 0xff tag are cut exactly where capnp's packer cuts them.
#include "codec/packed.h"

#include <bit>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define GEOKG_PACK_SHUFFLE 1
#endif

namespace geokg::codec {
namespace {

// Byte i of a word is bits 8i..8i+7 of the loaded integer.
static_assert(std::endian::native == std::endian::little,
              "the packer assumes a little-endian host");

constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;

inline uint64_t LoadWord(const uint8_t* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Bit i set when byte i (in memory order) of the word at `p` is non-zero.
inline unsigned Tag(const uint8_t* p) {
  const uint64_t w = LoadWord(p);
  // High bit of each byte: set when the byte is non-zero.
  const uint64_t nz = (((w & kLow7) + kLow7) | w) & ~kLow7;
  // Gather the eight high bits into one byte (no partial products overlap, so no carries).
  return static_cast<unsigned>(((nz >> 7) * 0x0102040810204080ULL) >> 56);
}

// Portable: the non-zero bytes of the word at `in`, in order, at `out`; returns their count.
inline size_t CompactBytes(const uint8_t* in, unsigned /*tag*/, uint8_t* out) {
  uint8_t* o = out;
  for (int i = 0; i < 8; ++i) {
    *o = in[i];
    o += in[i] != 0;
  }
  return static_cast<size_t>(o - out);
}

template <size_t (*Compact)(const uint8_t*, unsigned, uint8_t*)>
inline __attribute__((always_inline)) size_t PackBody(const uint8_t* in, size_t words,
                                                      uint8_t* out) {
  const uint8_t* const end = in + words * 8;
  uint8_t* o = out;
  while (in < end) {
    const uint64_t w = LoadWord(in);
    if (w == 0) {
      // A zero word, then the count of further zero words (at most 255).
      in += 8;
      const uint8_t* limit = end - in > 255 * 8 ? in + 255 * 8 : end;
      const uint8_t* run = in;
      while (run < limit && LoadWord(run) == 0) run += 8;
      o[0] = 0;
      o[1] = static_cast<uint8_t>((run - in) / 8);
      o += 2;
      in = run;
      continue;
    }
    const unsigned tag = Tag(in);
    *o++ = static_cast<uint8_t>(tag);
    if (tag != 0xff) {
      o += Compact(in, tag, o);
      in += 8;
      continue;
    }
    // All eight bytes, then a count of the following words with at most one zero byte (at most
    // 255), copied as they are.
    std::memcpy(o, in, 8);
    o += 8;
    in += 8;
    const uint8_t* limit = end - in > 255 * 8 ? in + 255 * 8 : end;
    const uint8_t* run = in;
    while (run < limit) {
      const unsigned zeros = ~Tag(run) & 0xffu;
      if ((zeros & (zeros - 1)) != 0) break;  // two or more zero bytes
      run += 8;
    }
    const size_t bytes = static_cast<size_t>(run - in);
    *o++ = static_cast<uint8_t>(bytes / 8);
    std::memcpy(o, in, bytes);
    o += bytes;
    in = run;
  }
  return static_cast<size_t>(o - out);
}

size_t PackPortable(const uint8_t* in, size_t words, uint8_t* out) {
  return PackBody<CompactBytes>(in, words, out);
}

#ifdef GEOKG_PACK_SHUFFLE
// For each tag, the positions of its set bits in order (then 0x80, which pshufb turns into 0),
// and how many there are (no popcnt instruction is assumed).
struct ShuffleTable {
  alignas(16) uint8_t at[256][16];
  uint8_t count[256];
  constexpr ShuffleTable() : at(), count() {
    for (unsigned tag = 0; tag < 256; ++tag) {
      unsigned n = 0;
      for (unsigned i = 0; i < 8; ++i) {
        if (tag & (1u << i)) at[tag][n++] = static_cast<uint8_t>(i);
      }
      count[tag] = static_cast<uint8_t>(n);
      for (; n < 16; ++n) at[tag][n] = 0x80;
    }
  }
};
constexpr ShuffleTable kShuffle;

__attribute__((target("ssse3"))) inline size_t CompactShuffle(const uint8_t* in, unsigned tag,
                                                              uint8_t* out) {
  const __m128i word = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in));
  const __m128i order = _mm_load_si128(reinterpret_cast<const __m128i*>(kShuffle.at[tag]));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(word, order));
  return kShuffle.count[tag];
}

__attribute__((target("ssse3"))) size_t PackShuffle(const uint8_t* in, size_t words, uint8_t* out) {
  return PackBody<CompactShuffle>(in, words, out);
}

size_t (*ChoosePacker())(const uint8_t*, size_t, uint8_t*) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("ssse3") ? PackShuffle : PackPortable;
}
#else
size_t (*ChoosePacker())(const uint8_t*, size_t, uint8_t*) { return PackPortable; }
#endif

}  // namespace

size_t PackWordsPortable(const void* in, size_t words, char* out) {
  return PackPortable(static_cast<const uint8_t*>(in), words, reinterpret_cast<uint8_t*>(out));
}

size_t PackWords(const void* in, size_t words, char* out) {
  static size_t (*const pack)(const uint8_t*, size_t, uint8_t*) = ChoosePacker();
  return pack(static_cast<const uint8_t*>(in), words, reinterpret_cast<uint8_t*>(out));
}

}  // namespace geokg::codec
