// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The floors of `bench`: the best any shared-memory transport between two
// processes can do on this machine, measured beside zerobuffer in the same run.
//
// The busy-poll floor of the round trips: each side owns one cache line of a
// shared anonymous mapping; a message is a sequence number stored with release
// semantics, and the peer spins on plain acquire loads until it sees it. No
// semaphore, no syscall, no frame header: what is left is the cost of moving
// two cache lines between two cores.
//
// The streaming floor of one-way throughput: the minimal record ring of
// record_ring.hpp, in a ring as large as zerobuffer's of the same frames,
// its writer copying each record in and its reader giving each back at once,
// both spinning (no sleep) while the ring is full or empty.

#include "bench_measure.hpp"
#include "bench_process.hpp"
#include "record_ring.hpp"
#include "shared_mapping.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <new>
#include <stdexcept>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace zerobuffer::tool::bench {

namespace {

using namespace std::chrono_literals;

/// One side's line: 64-byte aligned so the two never share a cache line
/// (false sharing would add the very traffic the floor is free of).
struct alignas(64) line {
    std::atomic<std::uint64_t> value{0};
};

struct lines {
    line ping; ///< written by the timing side
    line pong; ///< written by the echoing side
};

/// Tells the peer we are done: no real sequence number reaches it.
constexpr std::uint64_t stop_value = std::numeric_limits<std::uint64_t>::max();

void cpu_relax() noexcept
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

/// Spins until `l` holds `want` (or, for the echo side, `stop_value`); checks
/// the clock only every few thousand spins so the check costs nothing, and
/// gives up after `limit` so a dead peer cannot hang us.
std::uint64_t spin_until(const line& l, std::uint64_t want, std::chrono::seconds limit)
{
    clock_type::time_point deadline{};
    for (std::uint32_t spins = 1;; ++spins) {
        const std::uint64_t v = l.value.load(std::memory_order_acquire);
        if (v == want || v == stop_value) {
            return v;
        }
        cpu_relax();
        if (spins % 4096 == 0) {
            const auto now = clock_type::now();
            if (deadline == clock_type::time_point{}) {
                deadline = now + limit;
            } else if (now >= deadline) {
                throw std::runtime_error("busy-poll floor: the peer went silent");
            }
        }
    }
}

/// The two lines, in a mapping both processes share after the fork.
class shared_lines {
public:
    shared_lines() : mapping_(sizeof(lines)), lines_(new (mapping_.get()) lines) {}
    shared_lines(const shared_lines&) = delete;
    shared_lines& operator=(const shared_lines&) = delete;
    ~shared_lines() { lines_->~lines(); }
    lines* operator->() const noexcept { return lines_; }

private:
    shared_mapping mapping_;
    lines* lines_;
};

} // namespace

latency_result busy_poll_floor_latency(const settings& s)
{
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                  "cross-process atomics must be lock-free");
    const shared_block block;
    shared_state& state = *block;
    const shared_lines shared;

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        phase_watcher watcher(state);
        for (std::uint64_t seq = 1;; ++seq) {
            if (spin_until(shared->ping, seq, 30s) == stop_value) {
                break;
            }
            shared->pong.value.store(seq, std::memory_order_release);
            watcher.poll();
        }
        watcher.finish();
        return 0;
    });

    std::uint64_t seq = 0;
    latency_result r = time_round_trips("busy_poll_floor", s, state, [&] {
        shared->ping.value.store(++seq, std::memory_order_release);
        if (spin_until(shared->pong, seq, 5s) != seq) {
            throw std::runtime_error("busy-poll floor: the echo side stopped");
        }
    });
    shared->ping.value.store(stop_value, std::memory_order_release);
    finish_child(child, "echo");
    r.pong_cpu = child_cpu(state);
    r.size = 8; // one sequence number each way
    return r;
}

throughput_result streaming_floor_throughput(const settings& s, std::uint64_t size)
{
    const shared_block block;
    shared_state& state = *block;
    // As large as zerobuffer's ring, or twice a record where --payload-size
    // left less (a record may not take more than half of this ring).
    const std::uint64_t capacity =
        (std::max(ring_size(s, size), 2 * record_ring_layout::padded(size)) + 63) &
        ~std::uint64_t{63};
    const shared_mapping mapping(record_ring_layout::bytes_for(capacity));
    const record_ring_layout ring(new (mapping.get()) record_ring_counters, capacity);

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        record_ring_consumer consumer(ring);
        phase_watcher watcher(state);
        std::uint64_t n = 0;
        const auto limit = 30s;
        auto idle_since = clock_type::time_point{};
        for (std::uint32_t spins = 1;; ++spins) {
            if (consumer.front()) {
                consumer.pop();
                state.frames.store(++n, std::memory_order_relaxed);
                watcher.poll();
                idle_since = clock_type::time_point{};
                continue;
            }
            if (consumer.drained()) {
                break;
            }
            cpu_relax();
            if (spins % 4096 == 0) { // a dead writer must not hang us
                const auto now = clock_type::now();
                if (idle_since == clock_type::time_point{}) {
                    idle_since = now;
                } else if (now - idle_since >= limit) {
                    throw std::runtime_error("streaming floor: the writer went silent");
                }
            }
        }
        watcher.finish();
        return 0;
    });

    record_ring_producer producer(ring);
    const std::vector<std::byte> data(size, std::byte{0x5a});
    const auto push = [&] {
        for (std::uint32_t spins = 1; !producer.try_push(data); ++spins) {
            cpu_relax();
            if (spins % 65536 == 0 && child.poll()) { // a dead reader must not hang us
                throw std::runtime_error("streaming floor: the reader ended");
            }
        }
    };
    const std::uint64_t batch = stream_batch(size);
    throughput_window window(s, state);
    while (window.more()) {
        for (std::uint64_t i = 0; i < batch; ++i) {
            push();
        }
    }
    push(); // the reader sees the window close on this one
    producer.close();
    finish_child(child, "streaming floor reader");

    throughput_result r = window.result(size);
    r.reader_cpu = child_cpu(state);
    return r;
}

} // namespace zerobuffer::tool::bench
