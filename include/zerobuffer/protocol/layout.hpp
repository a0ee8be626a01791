// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_PROTOCOL_LAYOUT_HPP
#define ZEROBUFFER_PROTOCOL_LAYOUT_HPP

/// @file
/// Constants and arithmetic of the segment layout (PROTOCOL.md sections 2 and 3).
/// Pure: no I/O, no syscalls.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace zerobuffer::protocol {

static_assert(std::endian::native == std::endian::little,
              "the wire format is little-endian; a big-endian port needs byte swaps");

inline constexpr std::uint32_t oieb_size = 128;
inline constexpr std::uint64_t block_alignment = 64;
inline constexpr std::uint64_t frame_header_size = 16;
inline constexpr std::uint64_t metadata_prefix_size = 8;

inline constexpr std::uint8_t version_major = 1;
inline constexpr std::uint8_t version_minor = 0;
inline constexpr std::uint8_t version_patch = 0;

/// Largest block size we accept: keeps every sum of offsets far from overflow
/// and well past any machine's shared memory (1 TiB).
inline constexpr std::uint64_t max_block_size = std::uint64_t{1} << 40;

/// Byte offsets of the OIEB fields.
namespace oieb_offset {
inline constexpr std::size_t oieb_size = 0x00;
inline constexpr std::size_t version = 0x04;
inline constexpr std::size_t metadata_size = 0x08;
inline constexpr std::size_t metadata_free_bytes = 0x10;
inline constexpr std::size_t metadata_written_bytes = 0x18;
inline constexpr std::size_t payload_size = 0x20;
inline constexpr std::size_t payload_free_bytes = 0x28;
inline constexpr std::size_t payload_write_pos = 0x30;
inline constexpr std::size_t payload_read_pos = 0x38;
inline constexpr std::size_t payload_written_count = 0x40;
inline constexpr std::size_t payload_read_count = 0x48;
inline constexpr std::size_t writer_pid = 0x50;
inline constexpr std::size_t reader_pid = 0x58;
inline constexpr std::size_t reserved = 0x60;
} // namespace oieb_offset

/// Rounds `n` up to the block alignment; empty when that would exceed `max_block_size`.
constexpr std::optional<std::uint64_t> round_up_block(std::uint64_t n) noexcept
{
    if (n > max_block_size) {
        return std::nullopt;
    }
    return (n + block_alignment - 1) / block_alignment * block_alignment;
}

/// Where the blocks of a segment lie. Built only from validated sizes.
struct segment_layout {
    std::uint64_t metadata_size = 0; ///< M, a multiple of 64
    std::uint64_t payload_size = 0;  ///< P, a multiple of 64, > 0

    constexpr std::uint64_t metadata_offset() const noexcept { return oieb_size; }
    constexpr std::uint64_t payload_offset() const noexcept { return oieb_size + metadata_size; }
    constexpr std::uint64_t segment_size() const noexcept
    {
        return oieb_size + metadata_size + payload_size;
    }
};

/// The layout a reader creates for the requested sizes, or empty when they are
/// out of range (payload 0, or a block larger than `max_block_size`).
constexpr std::optional<segment_layout> make_layout(std::uint64_t metadata_size,
                                                    std::uint64_t payload_size) noexcept
{
    const auto m = round_up_block(metadata_size);
    const auto p = round_up_block(payload_size);
    if (!m || !p || *p == 0) {
        return std::nullopt;
    }
    return segment_layout{*m, *p};
}

} // namespace zerobuffer::protocol

#endif // ZEROBUFFER_PROTOCOL_LAYOUT_HPP
