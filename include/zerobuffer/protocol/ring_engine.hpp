// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_PROTOCOL_RING_ENGINE_HPP
#define ZEROBUFFER_PROTOCOL_RING_ENGINE_HPP

/// @file
/// Sans-I/O engines for the two sides of a ring: they perform every memory
/// operation PROTOCOL.md prescribes on a segment (any byte array laid out as
/// one), and leave waiting, waking and liveness to the caller. The reader and
/// writer classes compose them with semaphores; tests drive them on plain arrays.

#include <zerobuffer/error.hpp>
#include <zerobuffer/protocol/layout.hpp>
#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/protocol/release_order.hpp>
#include <zerobuffer/protocol/ring.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace zerobuffer::protocol {

/// A segment in memory: `base` is 8-byte aligned and `layout.segment_size()` long.
struct segment_view {
    std::byte* base = nullptr;
    segment_layout layout;

    oieb_ref oieb() const noexcept { return oieb_ref(base); }
    std::span<std::byte> metadata_block() const noexcept
    {
        return {base + layout.metadata_offset(), layout.metadata_size};
    }
    std::span<std::byte> ring() const noexcept
    {
        return {base + layout.payload_offset(), layout.payload_size};
    }
};

/// The writer's side of the ring. Not thread-safe: the owner serializes calls.
class ring_writer {
public:
    ring_writer() = default;

    /// Continues at the OIEB's write position, sequence 1.
    /// Precondition: the OIEB was validated (`validate_oieb`).
    explicit ring_writer(segment_view seg) noexcept;

    /// Reserves room for a frame of `n` bytes and writes its header and any wrap
    /// marker (steps 1–4 of "Writing a frame") into free bytes, placed as
    /// `place_frame` says (it wraps rather than leave a tail of 1 to 15 bytes
    /// when the frame also fits before the write position). The OIEB is not
    /// changed until `commit`, so an abandoned reservation (a writer that dies
    /// before committing) leaves the shared counters exactly as they were.
    /// On success `data` is the frame's data area.
    /// `buffer_full`: not enough free bytes yet; nothing changed, wait and retry.
    /// `invalid_frame_size`, `frame_too_large`: the frame can never be written.
    /// `corrupted_buffer`: the OIEB's free bytes exceed the ring.
    /// `invalid_state`: a reservation is already pending.
    boost::system::error_code try_reserve(std::uint64_t n, std::span<std::byte>& data) noexcept;

    /// Publishes the pending frame (step 5), with release ordering: the wrap
    /// marker's count if it wrapped, then one subtraction of free bytes for
    /// the wasted tail and the frame (the commit point), then the write
    /// position and the count. The caller then posts `sem-w` once.
    /// Returns its sequence number. Precondition: `has_reservation()`.
    std::uint64_t commit() noexcept;

    /// Drops the pending reservation without publishing it (its header stays
    /// in the ring as unread bytes that no token announces).
    void abandon() noexcept { pending_ = {}; }

    bool has_reservation() const noexcept { return pending_.total != 0; }
    std::uint64_t next_sequence() const noexcept { return sequence_; }
    std::uint64_t write_pos() const noexcept { return write_pos_; }

private:
    segment_view seg_;
    std::uint64_t write_pos_ = 0;
    std::uint64_t sequence_ = 1;
    // Free bytes we know of: the last value loaded, less what we took since.
    // Only the reader adds free bytes, so the OIEB holds at least this many and
    // a reservation within it needs no look at the reader's cache line.
    std::uint64_t known_free_ = 0;
    std::uint64_t written_count_ = 0; // the OIEB's, which only we change
    struct reservation {
        write_placement placement;
        std::uint64_t total = 0; // 0: none pending
    };
    reservation pending_;
};

/// Run by a writer that took over the slot of a writer that died (before it
/// builds its `ring_writer`): repairs what a writer killed inside its commit
/// left half-stored -- free bytes taken, but the write position and the
/// written count not stored -- once the reader has read that frame. Then the
/// write position becomes the read position and the written count the read
/// count, and it returns true. It repairs only when both prove that the lost
/// frame was the last one committed and was read: the read count exceeds the
/// written count, and the one frame (after a marker or short tail) at the
/// stale write position ends exactly at the read position. Otherwise it
/// changes nothing and returns false (see doc/protocol-notes.md for the case
/// it cannot repair). The reader changes nothing while it has nothing to
/// read, so what it loads stays true while it stores.
bool repair_lost_commit(segment_view seg) noexcept;

/// A frame the reader delivered; `ticket` identifies it to `release_frame`.
struct delivered_frame {
    const std::byte* data = nullptr;
    std::uint64_t size = 0;
    std::uint64_t sequence = 0;
    std::uint64_t ticket = 0;
};

/// The reader's side of the ring. Not thread-safe: the owner serializes all
/// calls. Frames may be released in any order; ring space returns to the
/// writer in ring order (see `release_order`).
class ring_reader {
public:
    ring_reader() = default;

    /// Continues at the OIEB's read position expecting sequence 1.
    explicit ring_reader(segment_view seg) noexcept;

    /// Consumes the next logical frame, which `has_unread_bytes` found
    /// committed (its `sem-w` token is the caller's business): skips a wrap
    /// marker or a short tail, validates, advances the read position and read
    /// count (steps 3–5 of "Reading a frame").
    /// `corrupted_buffer`: the header does not fit; nothing advances.
    /// `sequence_error`: a gap; the reader resynchronizes to the sequence found,
    /// so the next call delivers that frame.
    /// Throws only `std::bad_alloc` (when more frames are held than ever before).
    boost::system::error_code next(delivered_frame& out);

    /// Releases a delivered frame (step 6): returns to the writer the space of
    /// every consumed item up to the oldest one still held. The caller posts
    /// `sem-r` once per frame in the result.
    release_order::returned release_frame(const delivered_frame& f) noexcept;
    release_order::returned release_frame(std::uint64_t ticket) noexcept;

    /// Gives released bytes (and their `sem-r` tokens, in what
    /// `release_frame` returns) back to the writer in batches of up to
    /// `bytes` while the next frame is known to be committed (the reader is
    /// behind: another release follows soon) and the writer had at least half
    /// the ring free at the reader's last look; at once when a batch is full
    /// or the reader has caught up with what it knows, and through
    /// `give_back_held` when its owner finds no frame. A reader may release
    /// late (step 6): a batch is releases that come a few frames late. 0 (the
    /// default): every release gives its bytes back at once.
    void set_return_batch(std::uint64_t bytes) noexcept { return_batch_ = bytes; }

    /// Gives back at once what a batch holds: the caller posts `sem-r` once
    /// per frame in the result. Its owner calls it whenever it finds no frame
    /// to read (before it waits, or gives up): a reader that waits while the
    /// writer needs held-back bytes would wait for ever.
    release_order::returned give_back_held() noexcept;
    /// True while released bytes are held back (what `give_back_held` gives).
    bool holds_back() const noexcept { return unreturned_ != 0; }

    /// Frames delivered and not yet released (and tails waiting behind them).
    std::size_t in_flight() const noexcept { return releases_.in_flight(); }

    /// True when the next frame is committed: the bytes the writer took and we
    /// do not hold cover it and any tail skipped before it. Committed bytes
    /// are the truth (a `sem-w` token only wakes): this is how the reader finds
    /// frames, including one whose token a dead writer never posted. A tail a
    /// writer gave up before writing its frame (PROTOCOL.md's two-step wrap)
    /// is not a frame yet. Updates the cached view of the writer's bytes, so
    /// the owner serializes it with every other call.
    bool has_unread_bytes() const noexcept;

    /// A new writer starts again at sequence 1.
    void restart_sequence() noexcept { expected_ = 1; }
    /// Resumes a stream in the middle (tests, tools attaching to an image).
    void set_expected_sequence(std::uint64_t s) noexcept { expected_ = s; }
    std::uint64_t expected_sequence() const noexcept { return expected_; }
    std::uint64_t read_pos() const noexcept { return read_pos_; }

    /// The bytes where the next frame's header will be looked for: up to
    /// `max_bytes` from the read position (0 when it equals the ring size),
    /// within the ring; empty for a position beyond it. A hint for a prefetch
    /// only: the bytes may not be committed yet, and other reads may move the
    /// position.
    std::span<const std::byte> next_header_area(std::uint64_t max_bytes) const noexcept;

private:
    /// Throws only std::bad_alloc (a tail behind held frames is queued),
    /// before anything changed.
    void wrap_to_start(std::uint64_t tail, bool counted);
    /// True when the next frame, and any tail skipped before it, lies within
    /// the `unread` committed bytes from the read position; also when its
    /// committed header is corrupted, so that `next` reports it.
    bool next_frame_within(std::uint64_t unread) const noexcept;
    /// Gives `bytes` back to the writer (release ordering).
    void return_bytes(std::uint64_t bytes) const noexcept;
    /// Gives back the bytes a batch holds.
    void flush_returns() const noexcept;
    /// True when the next frame is committed by what we know, without a look
    /// at the writer's line.
    bool knows_next_frame() const noexcept;

    segment_view seg_;
    std::uint64_t read_pos_ = 0;
    std::uint64_t expected_ = 1;
    std::uint64_t read_count_ = 0; // the OIEB's, which only we change
    release_order releases_;
    // Ring bytes the writer had taken when we last looked (ring size - free
    // bytes), less what we returned since. The writer only takes more, so
    // while this exceeds what we hold there is a frame to read without looking
    // at the writer's cache line again.
    mutable std::uint64_t taken_ = 0;
    std::uint64_t return_batch_ = 0;
    mutable std::uint64_t unreturned_ = 0; // released, not given back yet
    std::uint64_t owed_tokens_ = 0;        // their sem-r tokens
};

} // namespace zerobuffer::protocol

#endif // ZEROBUFFER_PROTOCOL_RING_ENGINE_HPP
