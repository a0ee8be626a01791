// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_PROTOCOL_RELEASE_ORDER_HPP
#define ZEROBUFFER_PROTOCOL_RELEASE_ORDER_HPP

/// @file
/// Turns releases in any order into returns of ring space in ring order.
///
/// The protocol's free space is a byte count, and the writer always writes at
/// its write position: it reuses the oldest bytes first. If the reader gave
/// back a younger frame's bytes while an older frame is still held, the writer
/// would overwrite the held frame. So the reader returns space only for the
/// longest prefix of consumed items (frames and skipped ring tails) that are
/// all released. Pure: no syscalls, no locking (the owner locks).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zerobuffer::protocol {

class release_order {
public:
    /// What a release gives back to the ring now.
    struct returned {
        std::uint64_t bytes = 0;  ///< add to payload_free_bytes
        std::uint64_t frames = 0; ///< post sem-r once per frame
    };

    /// Records a consumed frame of `bytes` (header included); returns its ticket.
    std::uint64_t push_frame(std::uint64_t bytes) { return push(bytes, true, false); }

    /// Records a skipped tail (wrap marker or short tail). Returns the bytes to
    /// give back now: all of them when nothing older is held, else 0 (they are
    /// returned with the release that frees everything before them).
    std::uint64_t push_tail(std::uint64_t bytes)
    {
        if (empty()) {
            return bytes;
        }
        push(bytes, false, true);
        return 0;
    }

    /// Marks the frame `ticket` released and pops every released item at the
    /// front. Precondition: `ticket` came from `push_frame` and was not released.
    returned release(std::uint64_t ticket);

    bool empty() const noexcept { return size_ == 0; }
    std::size_t in_flight() const noexcept { return size_; }
    /// Bytes consumed from the ring and not yet given back.
    std::uint64_t bytes_in_flight() const noexcept { return bytes_; }

private:
    struct item {
        std::uint64_t bytes = 0;
        bool is_frame = false;
        bool released = false;
    };

    std::uint64_t push(std::uint64_t bytes, bool is_frame, bool released);
    item& at(std::uint64_t ticket) noexcept
    {
        return items_[static_cast<std::size_t>((head_ + (ticket - first_ticket_)) &
                                               (items_.size() - 1))];
    }
    void grow();

    std::vector<item> items_ = std::vector<item>(64); // a power of two
    std::size_t head_ = 0;                            // index of the oldest item
    std::size_t size_ = 0;
    std::uint64_t first_ticket_ = 0; // ticket of the oldest item
    std::uint64_t bytes_ = 0;        // sum of the items' bytes
};

} // namespace zerobuffer::protocol

#endif // ZEROBUFFER_PROTOCOL_RELEASE_ORDER_HPP
