// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_PROTOCOL_OIEB_HPP
#define ZEROBUFFER_PROTOCOL_OIEB_HPP

/// @file
/// Access to the Operation Info Exchange Block (PROTOCOL.md section 3) on any
/// 8-byte aligned byte array: shared memory or a plain array in a test.
/// Pure: no syscalls.

#include <zerobuffer/error.hpp>
#include <zerobuffer/protocol/layout.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace zerobuffer::protocol {

/// The u64 counters and positions of the OIEB that peers update concurrently.
enum class oieb_field : std::size_t {
    metadata_size = oieb_offset::metadata_size,
    metadata_free_bytes = oieb_offset::metadata_free_bytes,
    metadata_written_bytes = oieb_offset::metadata_written_bytes,
    payload_size = oieb_offset::payload_size,
    payload_free_bytes = oieb_offset::payload_free_bytes,
    payload_write_pos = oieb_offset::payload_write_pos,
    payload_read_pos = oieb_offset::payload_read_pos,
    payload_written_count = oieb_offset::payload_written_count,
    payload_read_count = oieb_offset::payload_read_count,
    writer_pid = oieb_offset::writer_pid,
    reader_pid = oieb_offset::reader_pid,
};

/// A view of an OIEB at `base` (which must be 8-byte aligned and at least
/// `oieb_size` bytes). Every access is atomic; the caller states the order,
/// as PROTOCOL.md's ordering rules require.
class oieb_ref {
public:
    explicit oieb_ref(std::byte* base) noexcept : base_(base) {}

    std::uint64_t load(oieb_field f, std::memory_order order) const noexcept
    {
        return ref(f).load(order);
    }
    void store(oieb_field f, std::uint64_t v, std::memory_order order) const noexcept
    {
        ref(f).store(v, order);
    }
    std::uint64_t fetch_add(oieb_field f, std::uint64_t v, std::memory_order order) const noexcept
    {
        return ref(f).fetch_add(v, order);
    }
    std::uint64_t fetch_sub(oieb_field f, std::uint64_t v, std::memory_order order) const noexcept
    {
        return ref(f).fetch_sub(v, order);
    }
    bool compare_exchange(oieb_field f, std::uint64_t& expected, std::uint64_t desired,
                          std::memory_order order) const noexcept
    {
        return ref(f).compare_exchange_strong(expected, desired, order, std::memory_order_relaxed);
    }

    /// The u32 oieb_size field.
    std::uint32_t oieb_size() const noexcept
    {
        return std::atomic_ref<std::uint32_t>(*u32_at(oieb_offset::oieb_size))
            .load(std::memory_order_acquire);
    }
    /// The four version bytes: major, minor, patch, reserved.
    std::uint32_t version_word() const noexcept
    {
        return std::atomic_ref<std::uint32_t>(*u32_at(oieb_offset::version))
            .load(std::memory_order_acquire);
    }
    std::uint8_t version_major() const noexcept
    {
        return static_cast<std::uint8_t>(version_word() & 0xffU);
    }

    std::byte* data() const noexcept { return base_; }

private:
    std::atomic_ref<std::uint64_t> ref(oieb_field f) const noexcept
    {
        return std::atomic_ref<std::uint64_t>(
            *reinterpret_cast<std::uint64_t*>(base_ + static_cast<std::size_t>(f)));
    }
    std::uint32_t* u32_at(std::size_t off) const noexcept
    {
        return reinterpret_cast<std::uint32_t*>(base_ + off);
    }

    std::byte* base_;
};

/// A copy of every OIEB field taken at one moment (fields are loaded one by one,
/// so concurrent updates may make it slightly inconsistent).
struct oieb_snapshot {
    std::uint32_t oieb_size = 0;
    std::uint8_t version_major = 0;
    std::uint8_t version_minor = 0;
    std::uint8_t version_patch = 0;
    std::uint64_t metadata_size = 0;
    std::uint64_t metadata_free_bytes = 0;
    std::uint64_t metadata_written_bytes = 0;
    std::uint64_t payload_size = 0;
    std::uint64_t payload_free_bytes = 0;
    std::uint64_t payload_write_pos = 0;
    std::uint64_t payload_read_pos = 0;
    std::uint64_t payload_written_count = 0;
    std::uint64_t payload_read_count = 0;
    std::uint64_t writer_pid = 0;
    std::uint64_t reader_pid = 0;
};

/// Loads every field of the OIEB with acquire ordering.
oieb_snapshot take_snapshot(const oieb_ref& oieb) noexcept;

/// Zeroes the OIEB and fills it in as a reader creating `layout` does
/// (PROTOCOL.md section 3). The rest of the segment is not touched.
void initialize_oieb(const oieb_ref& oieb, const segment_layout& layout,
                     std::uint64_t reader_pid) noexcept;

/// Checks a snapshot against the protocol's ranges for a segment of
/// `segment_size` bytes: OIEB size 128, major version 1, 64-aligned blocks that
/// add up to the segment size, positions and free bytes within the blocks.
/// Returns `incompatible_version`, `corrupted_buffer`, or success; on success
/// `layout` holds the segment's layout.
boost::system::error_code validate_oieb(const oieb_snapshot& s, std::uint64_t segment_size,
                                        segment_layout& layout) noexcept;

} // namespace zerobuffer::protocol

#endif // ZEROBUFFER_PROTOCOL_OIEB_HPP
