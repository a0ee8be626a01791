// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_RECORD_RING_HPP
#define ZEROBUFFER_TOOL_RECORD_RING_HPP

// The streaming floor of `bench`: the least a shared-memory ring between two
// processes must do to move length-prefixed records one way, against which
// zerobuffer's one-way streaming is judged. It is the single-producer
// single-consumer queue of the fastest published designs: each side owns one
// byte counter on a cache line of its own, publishes it with a release store
// after each record, and keeps a copy of the other side's counter that it
// reloads (acquire) only when that copy says the ring is full or empty. A
// record is an 8-byte length, then the payload padded to 8 bytes; one that
// does not fit before the ring's end starts over at its beginning behind a
// wrap mark. No sequence numbers, no semaphores, no liveness: what
// zerobuffer's protocol adds to it is what its ratio to this floor costs.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>

namespace zerobuffer::tool::bench {

/// The two counters, each on a line of its own so that neither side's
/// stores invalidate the line the other side polls for its own reasons.
struct record_ring_counters {
    alignas(64) std::atomic<std::uint64_t> produced{0}; ///< bytes published, wrap gaps included
    alignas(64) std::atomic<std::uint64_t> consumed{0}; ///< bytes given back
    alignas(64) std::atomic<int> closed{0};             ///< the producer is done
};

/// A ring of `capacity` bytes (a multiple of 8) after its counters, in memory
/// both sides map. `record_ring_producer` and `record_ring_consumer` each
/// hold one side's private state; one of each per ring.
class record_ring_layout {
public:
    static constexpr std::uint64_t header_size = 8;

    /// The bytes to map for a ring of `capacity` bytes.
    static constexpr std::size_t bytes_for(std::uint64_t capacity) noexcept
    {
        return sizeof(record_ring_counters) + static_cast<std::size_t>(capacity);
    }
    /// The largest payload a ring of `capacity` bytes takes: half the ring
    /// less a header, so that a record and a wrap gap before it always fit
    /// an empty ring.
    static constexpr std::uint64_t max_payload(std::uint64_t capacity) noexcept
    {
        return capacity / 2 - header_size;
    }
    static constexpr std::uint64_t padded(std::uint64_t payload) noexcept
    {
        return header_size + ((payload + 7) & ~std::uint64_t{7});
    }

    /// The ring of `capacity` bytes in `memory` (at least
    /// `bytes_for(capacity)` bytes, 64-byte aligned), whose counters the
    /// caller has constructed there (`new (memory) record_ring_counters`).
    record_ring_layout(void* memory, std::uint64_t capacity)
        : counters_(static_cast<record_ring_counters*>(memory)),
          data_(static_cast<std::byte*>(memory) + sizeof(record_ring_counters)), capacity_(capacity)
    {
        if (capacity < 64 || capacity % 8 != 0) {
            throw std::invalid_argument("record ring: the capacity must be a multiple of 8, >= 64");
        }
    }

    record_ring_counters& counters() const noexcept { return *counters_; }
    std::byte* data() const noexcept { return data_; }
    std::uint64_t capacity() const noexcept { return capacity_; }

private:
    record_ring_counters* counters_;
    std::byte* data_;
    std::uint64_t capacity_;
};

/// Marks the rest of the ring unused: the next record is at its start.
inline constexpr std::uint64_t record_ring_wrap_mark = std::numeric_limits<std::uint64_t>::max();

/// The writing side.
class record_ring_producer {
public:
    explicit record_ring_producer(const record_ring_layout& ring) noexcept : ring_(ring) {}

    /// Copies `payload` in and publishes it; false (nothing written) while
    /// the ring lacks room. Throws `std::length_error` for a payload larger
    /// than `max_payload`.
    bool try_push(std::span<const std::byte> payload)
    {
        const std::uint64_t capacity = ring_.capacity();
        if (payload.size() > record_ring_layout::max_payload(capacity)) {
            throw std::length_error("record ring: payload larger than half the ring");
        }
        const std::uint64_t need = record_ring_layout::padded(payload.size());
        const std::uint64_t to_end = capacity - position_;
        const std::uint64_t take = need <= to_end ? need : to_end + need;
        if (produced_ + take - consumed_seen_ > capacity) {
            consumed_seen_ = ring_.counters().consumed.load(std::memory_order_acquire);
            if (produced_ + take - consumed_seen_ > capacity) {
                return false;
            }
        }
        if (need > to_end) {
            store_header(record_ring_wrap_mark);
            position_ = 0;
        }
        store_header(payload.size());
        if (!payload.empty()) {
            std::memcpy(ring_.data() + position_ + record_ring_layout::header_size, payload.data(),
                        payload.size());
        }
        position_ = (position_ + need) % capacity;
        produced_ += take;
        ring_.counters().produced.store(produced_, std::memory_order_release);
        return true;
    }

    /// Tells the consumer that no record follows the ones published.
    void close() noexcept { ring_.counters().closed.store(1, std::memory_order_release); }

private:
    void store_header(std::uint64_t value) noexcept
    {
        std::memcpy(ring_.data() + position_, &value, sizeof value);
    }

    record_ring_layout ring_;
    std::uint64_t position_ = 0;      ///< where the next record starts
    std::uint64_t produced_ = 0;      ///< our counter, as last published
    std::uint64_t consumed_seen_ = 0; ///< the consumer's, as last loaded
};

/// The reading side.
class record_ring_consumer {
public:
    explicit record_ring_consumer(const record_ring_layout& ring) noexcept : ring_(ring) {}

    /// The oldest record not popped yet, or empty while there is none. The
    /// view stays valid until `pop()`. Throws `std::runtime_error` for a
    /// length that does not fit the ring (the producer is not ours, or
    /// broken): the ring is shared memory, its bytes are not trusted.
    std::optional<std::span<const std::byte>> front()
    {
        if (consumed_ == produced_seen_) {
            produced_seen_ = ring_.counters().produced.load(std::memory_order_acquire);
            if (consumed_ == produced_seen_) {
                return std::nullopt;
            }
        }
        std::uint64_t length = load_header();
        if (length == record_ring_wrap_mark) {
            gap_ = ring_.capacity() - position_;
            position_ = 0;
            length = load_header();
        }
        const std::uint64_t room = ring_.capacity() - position_ - record_ring_layout::header_size;
        if (length > room || length > record_ring_layout::max_payload(ring_.capacity()) ||
            produced_seen_ < consumed_ ||
            gap_ + record_ring_layout::padded(length) > produced_seen_ - consumed_) {
            throw std::runtime_error(
                "record ring: a record's length runs past the ring or the published bytes");
        }
        length_ = length;
        return std::span<const std::byte>(ring_.data() + position_ +
                                              record_ring_layout::header_size,
                                          static_cast<std::size_t>(length));
    }

    /// Gives the record `front()` returned back to the producer.
    void pop() noexcept
    {
        const std::uint64_t need = record_ring_layout::padded(length_);
        position_ = (position_ + need) % ring_.capacity();
        consumed_ += gap_ + need;
        gap_ = 0;
        ring_.counters().consumed.store(consumed_, std::memory_order_release);
    }

    /// True once the producer closed and every record it published was popped.
    bool drained() const noexcept
    {
        return ring_.counters().closed.load(std::memory_order_acquire) != 0 &&
               consumed_ == ring_.counters().produced.load(std::memory_order_acquire);
    }

private:
    std::uint64_t load_header() const noexcept
    {
        std::uint64_t value = 0;
        std::memcpy(&value, ring_.data() + position_, sizeof value);
        return value;
    }

    record_ring_layout ring_;
    std::uint64_t position_ = 0;      ///< where the next record starts
    std::uint64_t consumed_ = 0;      ///< our counter, as last published
    std::uint64_t produced_seen_ = 0; ///< the producer's, as last loaded
    std::uint64_t gap_ = 0;           ///< the wrap gap before the record in front
    std::uint64_t length_ = 0;        ///< the payload length of the record in front
};

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_RECORD_RING_HPP
