// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/protocol/ring.hpp>

#include <algorithm>

namespace zerobuffer::protocol {

boost::system::error_code place_frame(std::uint64_t ring_size, std::uint64_t write_pos,
                                      std::uint64_t n, write_placement& out) noexcept
{
    if (n == 0) {
        return errc::invalid_frame_size;
    }
    if (write_pos > ring_size) {
        return errc::corrupted_buffer;
    }
    // Checked before adding the header so that the sums below cannot overflow.
    if (n > ring_size) {
        return errc::frame_too_large;
    }
    const std::uint64_t total = frame_header_size + n;
    const std::uint64_t space_to_end = ring_size - write_pos;
    // Placed here, would the frame leave 1 to 15 bytes before the end: a tail
    // with no room for a marker, which the reference readers mishandle? Then
    // it wraps now if it also fits before the write position (then the space
    // needed below, the rest of the lap and the frame, is at most the ring).
    const bool fits_here = space_to_end >= total;
    const bool leaves_short_tail =
        fits_here && space_to_end != total && space_to_end - total < frame_header_size;
    const bool avoid_short_tail = leaves_short_tail && total <= write_pos;
    write_placement p;
    if (fits_here && !avoid_short_tail) {
        p.header_pos = write_pos;
        p.space_needed = total;
    } else {
        p.wraps = true;
        p.avoids_short_tail = avoid_short_tail;
        p.writes_marker = space_to_end >= frame_header_size;
        p.wasted_tail = space_to_end;
        p.header_pos = 0;
        p.space_needed = space_to_end + total;
    }
    if (p.space_needed > ring_size) {
        return errc::frame_too_large;
    }
    out = p;
    return {};
}

std::uint64_t largest_frame_from(std::uint64_t ring_size, std::uint64_t write_pos) noexcept
{
    if (write_pos > ring_size) {
        return 0;
    }
    const std::uint64_t space_to_end = ring_size - write_pos;
    const std::uint64_t in_place =
        space_to_end > frame_header_size ? space_to_end - frame_header_size : 0;
    // Wrapping costs the tail: space_to_end + 16 + n <= ring_size.
    const std::uint64_t wrapped = write_pos > frame_header_size ? write_pos - frame_header_size : 0;
    return std::max(in_place, wrapped);
}

read_step next_read_step(std::span<const std::byte> ring, std::uint64_t read_pos,
                         std::uint64_t expected_sequence) noexcept
{
    const std::uint64_t ring_size = ring.size();
    read_step step;
    if (read_pos > ring_size) {
        step.kind = read_step_kind::corrupted;
        step.pos = read_pos;
        return step;
    }
    if (read_pos == ring_size) {
        read_pos = 0; // an exact-end position of the C++ reference
    }
    step.pos = read_pos;
    const std::uint64_t space_to_end = ring_size - read_pos;
    if (space_to_end < frame_header_size) {
        step.kind = read_step_kind::implicit_wrap;
        step.tail_bytes = space_to_end;
        step.next_read_pos = 0;
        return step;
    }
    step.header = load_header(ring.data() + read_pos);
    if (step.header.payload_size == 0 && read_pos == 0) {
        // A writer never wraps from position 0: this is not a marker.
        step.kind = read_step_kind::corrupted;
        return step;
    }
    if (step.header.payload_size == 0) {
        step.kind = read_step_kind::wrap_marker;
        step.tail_bytes = space_to_end;
        step.next_read_pos = 0;
        return step;
    }
    if (step.header.payload_size > space_to_end - frame_header_size) {
        step.kind = read_step_kind::corrupted;
        return step;
    }
    step.released_bytes = frame_header_size + step.header.payload_size;
    step.next_read_pos = read_pos + step.released_bytes;
    if (step.next_read_pos == ring_size) {
        step.next_read_pos = 0;
    }
    step.kind = step.header.sequence == expected_sequence ? read_step_kind::frame
                                                          : read_step_kind::sequence_gap;
    return step;
}

} // namespace zerobuffer::protocol
