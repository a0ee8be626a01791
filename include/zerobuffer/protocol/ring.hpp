// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_PROTOCOL_RING_HPP
#define ZEROBUFFER_PROTOCOL_RING_HPP

/// @file
/// The arithmetic of frames in the payload ring (PROTOCOL.md section 5): where a
/// frame of n bytes goes, and what the bytes at the read position mean.
/// Pure: no I/O, no syscalls, no shared state; testable on a plain byte array.

#include <zerobuffer/error.hpp>
#include <zerobuffer/protocol/layout.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace zerobuffer::protocol {

/// The 16-byte header in front of every frame. `payload_size == 0` marks a wrap.
struct frame_header {
    std::uint64_t payload_size = 0;
    std::uint64_t sequence = 0;
};

/// Reads a header from 16 bytes of ring memory (any alignment).
inline frame_header load_header(const std::byte* at) noexcept
{
    frame_header h;
    std::memcpy(&h.payload_size, at, 8);
    std::memcpy(&h.sequence, at + 8, 8);
    return h;
}

/// Writes a header to 16 bytes of ring memory (any alignment).
inline void store_header(std::byte* at, const frame_header& h) noexcept
{
    std::memcpy(at, &h.payload_size, 8);
    std::memcpy(at + 8, &h.sequence, 8);
}

/// Where a frame goes, decided from the write position alone.
struct write_placement {
    std::uint64_t header_pos = 0;   ///< where the header is written
    std::uint64_t space_needed = 0; ///< free bytes that must be available first
    std::uint64_t wasted_tail = 0;  ///< bytes skipped at the ring's end (0: no wrap)
    bool wraps = false;             ///< the frame goes to position 0
    bool writes_marker = false;     ///< a wrap marker fits in the skipped tail
    /// It wraps although it fits from the write position: placed there it
    /// would leave a tail of 1 to 15 bytes (CONFORMANCE 8.4).
    bool avoids_short_tail = false;
};

/// Places a frame of `n` data bytes in a ring of `ring_size` bytes whose write
/// position is `write_pos` (PROTOCOL.md "Writing a frame", steps 1–3).
/// A frame that fits from `write_pos` but would leave 1 to 15 bytes (no room
/// for a wrap marker) before the end of the ring wraps instead, with a marker,
/// when it also fits before `write_pos` (16 + n <= write_pos): a writer never
/// leaves such a tail when the frame could go elsewhere. This never turns a
/// frame that fits into `frame_too_large`: the space it then needs, the rest
/// of the lap and the frame, is at most the ring.
/// Errors: `invalid_frame_size` for n == 0, `frame_too_large` when the space it
/// needs from here exceeds the ring, `corrupted_buffer` when `write_pos > ring_size`.
boost::system::error_code place_frame(std::uint64_t ring_size, std::uint64_t write_pos,
                                      std::uint64_t n, write_placement& out) noexcept;

/// The largest frame (data bytes) that fits from `write_pos`, 0 if none does.
std::uint64_t largest_frame_from(std::uint64_t ring_size, std::uint64_t write_pos) noexcept;

/// The largest frame (data bytes) that fits from every position: always placeable.
constexpr std::uint64_t largest_frame_always_fits(std::uint64_t ring_size) noexcept
{
    return ring_size / 2 >= frame_header_size ? ring_size / 2 - frame_header_size : 0;
}

/// What the reader finds at its read position.
enum class read_step_kind {
    frame,         ///< a valid frame: deliver it
    wrap_marker,   ///< a marker: return the tail, count it, continue at 0
    implicit_wrap, ///< < 16 bytes left: return the tail, continue at 0, no count
    corrupted,     ///< a header that does not fit in the ring
    sequence_gap,  ///< a valid frame with an unexpected sequence number
};

/// The reader's next step, computed from the ring bytes.
struct read_step {
    read_step_kind kind = read_step_kind::corrupted;
    std::uint64_t pos = 0;            ///< position of the header (or tail start)
    frame_header header;              ///< the header (frame and sequence_gap only)
    std::uint64_t tail_bytes = 0;     ///< bytes given back on a wrap
    std::uint64_t next_read_pos = 0;  ///< read position after this step
    std::uint64_t released_bytes = 0; ///< bytes a frame gives back when released
};

/// Interprets the bytes at `read_pos` of `ring` (PROTOCOL.md "Reading a frame",
/// steps 3–5). Never reads outside `ring`. A `read_pos` equal to the ring size
/// is treated as 0; a larger one is `corrupted`.
read_step next_read_step(std::span<const std::byte> ring, std::uint64_t read_pos,
                         std::uint64_t expected_sequence) noexcept;

} // namespace zerobuffer::protocol

#endif // ZEROBUFFER_PROTOCOL_RING_HPP
