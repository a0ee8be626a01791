// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/protocol/ring_engine.hpp>

#include <algorithm>
#include <utility>

namespace zerobuffer::protocol {

namespace {
constexpr auto acquire = std::memory_order_acquire;
constexpr auto publish = std::memory_order_release; // data before counters
} // namespace

ring_writer::ring_writer(segment_view seg) noexcept
    : seg_(seg), write_pos_(seg.oieb().load(oieb_field::payload_write_pos, acquire)),
      written_count_(seg.oieb().load(oieb_field::payload_written_count, acquire))
{
}

boost::system::error_code ring_writer::try_reserve(std::uint64_t n,
                                                   std::span<std::byte>& data) noexcept
{
    if (has_reservation()) {
        return errc::invalid_state;
    }
    const std::uint64_t ring_size = seg_.layout.payload_size;
    write_placement placement;
    if (auto ec = place_frame(ring_size, write_pos_, n, placement)) {
        return ec;
    }
    if (known_free_ < placement.space_needed) {
        // Acquire: the reader's release of these bytes happened before we reuse them.
        const std::uint64_t free_bytes = seg_.oieb().load(oieb_field::payload_free_bytes, acquire);
        if (free_bytes > ring_size) {
            return errc::corrupted_buffer;
        }
        known_free_ = free_bytes;
        if (free_bytes < placement.space_needed) {
            return errc::buffer_full;
        }
    }
    std::byte* ring = seg_.ring().data();
    if (placement.writes_marker) {
        store_header(ring + write_pos_, frame_header{0, 0});
    }
    store_header(ring + placement.header_pos, frame_header{n, sequence_});
    pending_ = {placement, frame_header_size + n};
    data = {ring + placement.header_pos + frame_header_size, static_cast<std::size_t>(n)};
    return {};
}

std::uint64_t ring_writer::commit() noexcept
{
    const oieb_ref oieb = seg_.oieb();
    const reservation r = pending_;
    // The counts are ours alone to change while we are attached: plain stores
    // of our own tally, which wait for no cache line (a read-modify-write
    // would stall until the reader's core gave the line up).
    if (r.placement.writes_marker) {
        oieb.store(oieb_field::payload_written_count, ++written_count_, publish);
    }
    // The C++ reference leaves a frame that ends at the ring's end at
    // write_pos == payload_size; we store the same so our images match its.
    write_pos_ = r.placement.header_pos + r.total;
    // One subtraction for the wasted tail and the frame is the commit point:
    // a reader that sees the free bytes drop sees the whole frame. A writer
    // killed after it and before the stores below leaves a position and a
    // count the reader repairs once it has read everything (see reader).
    const std::uint64_t taken = r.placement.wasted_tail + r.total;
    known_free_ -= taken;
    oieb.fetch_sub(oieb_field::payload_free_bytes, taken, publish);
    oieb.store(oieb_field::payload_write_pos, write_pos_, publish);
    oieb.store(oieb_field::payload_written_count, ++written_count_, publish);
    pending_ = {};
    return sequence_++;
}

namespace {

/// True when the frame a writer would have committed from `write_pos` (after
/// a wrap marker or a short tail) ends at `end` (mod ring size): the frame a
/// writer killed inside its commit left between its stale position and the
/// reader's position.
bool lost_frame_ends_at(std::span<const std::byte> ring, std::uint64_t write_pos,
                        std::uint64_t end) noexcept
{
    const std::uint64_t ring_size = ring.size();
    if (end > ring_size) {
        return false;
    }
    std::uint64_t pos = write_pos;
    // A marker or a short tail, then the frame at 0: at most two steps.
    for (int steps = 0; steps < 2; ++steps) {
        // The sequence is whatever the dead writer reached: any will do.
        const read_step step = next_read_step(ring, pos, 0);
        switch (step.kind) {
        case read_step_kind::implicit_wrap:
        case read_step_kind::wrap_marker: pos = 0; continue;
        case read_step_kind::corrupted: return false;
        case read_step_kind::frame:
        case read_step_kind::sequence_gap:
            return step.next_read_pos == (end == ring_size ? 0 : end);
        }
    }
    return false;
}

} // namespace

bool repair_lost_commit(segment_view seg) noexcept
{
    const oieb_ref oieb = seg.oieb();
    // The count before the position: the reader stores its position, then its
    // count, so the position we load is at least as new as the count.
    const std::uint64_t written = oieb.load(oieb_field::payload_written_count, acquire);
    const std::uint64_t read = oieb.load(oieb_field::payload_read_count, acquire);
    if (read <= written) {
        return false; // nothing read that the writer did not count (or not yet)
    }
    const std::uint64_t read_pos = oieb.load(oieb_field::payload_read_pos, acquire);
    const std::uint64_t write_pos = oieb.load(oieb_field::payload_write_pos, acquire);
    if (!lost_frame_ends_at(seg.ring(), write_pos, read_pos)) {
        return false;
    }
    oieb.store(oieb_field::payload_write_pos, read_pos, publish);
    oieb.store(oieb_field::payload_written_count, read, publish);
    return true;
}

ring_reader::ring_reader(segment_view seg) noexcept
    : seg_(seg), read_pos_(seg.oieb().load(oieb_field::payload_read_pos, acquire)),
      read_count_(seg.oieb().load(oieb_field::payload_read_count, acquire))
{
}

void ring_reader::wrap_to_start(std::uint64_t tail, bool counted)
{
    const oieb_ref oieb = seg_.oieb();
    // The tail is returned only once every frame before it is released.
    if (const std::uint64_t now = tail != 0 ? releases_.push_tail(tail) : 0; now != 0) {
        return_bytes(now);
    }
    read_pos_ = 0;
    oieb.store(oieb_field::payload_read_pos, 0, publish);
    if (counted) {
        oieb.store(oieb_field::payload_read_count, ++read_count_, publish);
    }
}

boost::system::error_code ring_reader::next(delivered_frame& out)
{
    // At most a short tail or a marker precedes a frame at position 0; a third
    // step without a frame means the ring is corrupted (e.g. a marker at 0).
    for (int steps = 0; steps < 3; ++steps) {
        const read_step step = next_read_step(seg_.ring(), read_pos_, expected_);
        switch (step.kind) {
        case read_step_kind::implicit_wrap: wrap_to_start(step.tail_bytes, false); continue;
        case read_step_kind::wrap_marker: wrap_to_start(step.tail_bytes, true); continue;
        case read_step_kind::corrupted: return errc::corrupted_buffer;
        case read_step_kind::sequence_gap:
            expected_ = step.header.sequence;
            return errc::sequence_error;
        case read_step_kind::frame: {
            out.data = seg_.ring().data() + step.pos + frame_header_size;
            out.size = step.header.payload_size;
            out.sequence = step.header.sequence;
            out.ticket = releases_.push_frame(step.released_bytes);
            read_pos_ = step.next_read_pos;
            const oieb_ref oieb = seg_.oieb();
            // Only we change the read count: a plain store (see commit).
            oieb.store(oieb_field::payload_read_pos, read_pos_, publish);
            oieb.store(oieb_field::payload_read_count, ++read_count_, publish);
            ++expected_;
            return {};
        }
        }
    }
    return errc::corrupted_buffer;
}

release_order::returned ring_reader::release_frame(const delivered_frame& f) noexcept
{
    return release_frame(f.ticket);
}

release_order::returned ring_reader::release_frame(std::uint64_t ticket) noexcept
{
    const release_order::returned r = releases_.release(ticket);
    unreturned_ += r.bytes;
    owed_tokens_ += r.frames;
    // Held back only while the writer had at least half the ring free at our
    // last look (it is nowhere near waiting for room: CONFORMANCE 1.3's
    // blocked writer gets the space of the release that frees it) and our
    // next frame is known (another release follows soon).
    const std::uint64_t ring_size = seg_.layout.payload_size;
    const bool writer_has_room = ring_size - std::min(taken_, ring_size) >= ring_size / 2;
    if (unreturned_ == 0 ||
        (unreturned_ < return_batch_ && writer_has_room && knows_next_frame())) {
        return {}; // the writer gets these with a later release
    }
    return give_back_held();
}

release_order::returned ring_reader::give_back_held() noexcept
{
    // The bytes, then their tokens (the caller posts them): a writer woken
    // by a token finds its bytes.
    const release_order::returned now{unreturned_, std::exchange(owed_tokens_, 0)};
    flush_returns();
    return now;
}

void ring_reader::return_bytes(std::uint64_t bytes) const noexcept
{
    taken_ = taken_ > bytes ? taken_ - bytes : 0;
    seg_.oieb().fetch_add(oieb_field::payload_free_bytes, bytes, publish);
}

void ring_reader::flush_returns() const noexcept
{
    if (unreturned_ != 0) {
        return_bytes(std::exchange(unreturned_, 0));
    }
}

bool ring_reader::knows_next_frame() const noexcept
{
    // Released bytes not given back are the writer's no more than held ones.
    const std::uint64_t ours = releases_.bytes_in_flight() + unreturned_;
    return taken_ > ours && next_frame_within(taken_ - ours);
}

bool ring_reader::next_frame_within(std::uint64_t unread) const noexcept
{
    const std::span<const std::byte> ring = seg_.ring();
    const std::uint64_t ring_size = ring.size();
    std::uint64_t pos = read_pos_ == ring_size ? 0 : read_pos_;
    // The common case, in one load: a header at our position that is not a
    // wrap marker. The first unread bytes are there, and a writer gives up a
    // frame's bytes only once the frame is written, so that header is the
    // newest (next() validates it). Only a wrap needs the walk below.
    if (unread >= frame_header_size && pos < ring_size && ring_size - pos >= frame_header_size &&
        load_header(ring.data() + pos).payload_size != 0) {
        return true;
    }
    std::uint64_t span = 0;
    for (int steps = 0; steps < 3 && pos <= ring_size; ++steps) {
        const std::uint64_t space_to_end = ring_size - pos;
        if (space_to_end < frame_header_size) {
            span += space_to_end; // a short tail: no header to read
            pos = 0;
            if (span > unread) {
                return false;
            }
            continue;
        }
        // A header is read only once the bytes it lies in are committed: a
        // writer following PROTOCOL.md gives up a wrapped tail before it
        // writes the frame at 0, where the last lap's bytes still lie.
        if (span + frame_header_size > unread) {
            return false;
        }
        const read_step step = next_read_step(ring, pos, expected_);
        switch (step.kind) {
        case read_step_kind::implicit_wrap:
        case read_step_kind::wrap_marker:
            span += step.tail_bytes;
            pos = 0;
            if (span > unread) {
                return false;
            }
            continue;
        case read_step_kind::corrupted: return true; // next() reports it
        case read_step_kind::frame:
        case read_step_kind::sequence_gap: return span + step.released_bytes <= unread;
        }
    }
    return true; // no frame within three steps: next() reports it
}

std::span<const std::byte> ring_reader::next_header_area(std::uint64_t max_bytes) const noexcept
{
    const std::span<const std::byte> ring = seg_.ring();
    // A position equal to the ring size is 0 (PROTOCOL.md section 5).
    const std::uint64_t pos = read_pos_ == ring.size() ? 0 : read_pos_;
    if (pos >= ring.size()) {
        return {};
    }
    return ring.subspan(static_cast<std::size_t>(pos),
                        static_cast<std::size_t>(std::min(max_bytes, ring.size() - pos)));
}

bool ring_reader::has_unread_bytes() const noexcept
{
    // What the writer took (ring size - free) and we do not hold is unread;
    // a frame is there when the unread bytes cover it and whatever tail
    // precedes it. Positions cannot tell a full ring from an empty one; the
    // bytes can.
    if (knows_next_frame()) {
        return true; // known from our last look: the writer only takes more
    }
    const std::uint64_t ours = releases_.bytes_in_flight() + unreturned_;
    const std::uint64_t ring_size = seg_.layout.payload_size;
    const std::uint64_t free_bytes = seg_.oieb().load(oieb_field::payload_free_bytes, acquire);
    if (free_bytes > ring_size) {
        taken_ = 0;
        return false; // corrupted: nothing trustworthy to read
    }
    taken_ = ring_size - free_bytes;
    return taken_ > ours && next_frame_within(taken_ - ours);
}

} // namespace zerobuffer::protocol
