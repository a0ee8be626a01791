// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// A reader's frame path: waiting for a frame, consuming it, releasing it, and
// the sem-w tokens that go with them.

#include "reader_frame_wait.hpp"
#include "reader_impl.hpp"

#include <zerobuffer/detail/prefetch.hpp>
#include <zerobuffer/protocol/metadata.hpp>

#include <mutex>

namespace zerobuffer::detail {

namespace {
constexpr auto acquire = std::memory_order_acquire;
} // namespace

std::span<const std::byte> reader_impl::metadata(boost::system::error_code& ec) const
{
    if (!is_open()) {
        ec = errc::invalid_state;
        return {};
    }
    const std::uint64_t written =
        view_.oieb().load(protocol::oieb_field::metadata_written_bytes, acquire);
    return protocol::parse_metadata(view_.metadata_block(), written, ec);
}

frame reader_impl::consume(boost::system::error_code& ec)
{
    protocol::delivered_frame d;
    boost::system::error_code e = ring_.next(d);
    if (e == errc::sequence_error && ring_.expected_sequence() == 1) {
        // A new writer session starts again at sequence 1.
        e = ring_.next(d);
    }
    if (e) {
        if (e == errc::corrupted_buffer) {
            // No frame will follow: nothing may stay held back.
            post_release_tokens(ring_.give_back_held().frames);
        }
        ec = e; // nothing consumed: the next read looks at the same place
        return {};
    }
    // Its token is a credit from an earlier wait, or is still to be taken:
    // tokens of frames already read are drained in batches (the semaphore's
    // cache line stays with the writer while we stream), and before we sleep.
    if (--token_balance_ <= -token_drain_batch) {
        drain_tokens();
    }
    writer_seen_.store(true, std::memory_order_relaxed);
    frames_read_.store(frames_read_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    bytes_read_.store(bytes_read_.load(std::memory_order_relaxed) + d.size,
                      std::memory_order_relaxed);
    if (d.sequence == 1) {
        writer_sessions_.store(writer_sessions_.load(std::memory_order_relaxed) + 1,
                               std::memory_order_relaxed);
    }
    ++frames_out_;
    return frame(this, d.data, static_cast<std::size_t>(d.size), d.sequence, d.ticket);
}

void reader_impl::wake_all_sleepers() noexcept
{
    wake_tokens_.fetch_add(sleepers_.wake_all(sem_w_), std::memory_order_relaxed);
}

void reader_impl::wake_sleeper(const wait_interrupt& interrupt, int rounds) noexcept
{
    wake_tokens_.fetch_add(sleepers_.wake(interrupt, sem_w_, rounds), std::memory_order_relaxed);
}

frame reader_impl::read_frame(std::chrono::nanoseconds timeout, const wait_strategy& strategy,
                              const std::stop_token& stop, boost::system::error_code& ec)
{
    ec = {};
    if (!is_open()) {
        ec = errc::invalid_state;
        return {};
    }
    // The look before any wait builds nothing for one: a frame committed
    // already (streaming) costs no clock, no semaphore, no setup. The values
    // a wait watches are loaded before the look, so a frame committed after
    // it changes them.
    frame_wait_start seen = frame_wait::watch(view_.oieb());
    {
        const std::lock_guard lock(mutex_);
        if (frame_committed()) {
            return consume(ec);
        }
        seen.next_header = ring_.next_header_area(2 * prefetch_line_size);
    }
    return wait_for_frame(timeout, strategy, stop, seen, ec);
}

frame reader_impl::wait_for_frame(std::chrono::nanoseconds timeout, const wait_strategy& strategy,
                                  const std::stop_token& stop, const frame_wait_start& seen,
                                  boost::system::error_code& ec)
{
    wait_interrupt interrupt(closing_);
    frame_wait wait(*this, interrupt);
    wait.look_from(seen);
    // Registered only once the read must wait, and never under the lock: the
    // callback may run at once, on this thread.
    const stop_hook hook(stop, [this, &interrupt] {
        interrupt.request();
        wake_sleeper(interrupt);
    });
    lazy_deadline deadline(timeout);
    frame f;
    for (;;) {
        wait_machine machine(strategy, deadline);
        if (wait.finish(drive_wait(machine, wait), deadline, f, ec)) {
            return f;
        }
    }
}

bool reader_impl::frame_committed() noexcept
{
    if (ring_.has_unread_bytes()) {
        return true;
    }
    if (ring_.holds_back()) { // a plain test: the wait's looks come here each spin
        post_release_tokens(ring_.give_back_held().frames);
    }
    return false;
}

void reader_impl::post_release_tokens(std::uint64_t frames) noexcept
{
    for (std::uint64_t i = 0; i < frames; ++i) {
        boost::system::error_code ec;
        // EOVERFLOW only when the writer has not taken ~2^31 tokens: it then
        // has no use for one more.
        sem_r_.post(ec);
    }
}

void reader_impl::drain_tokens() noexcept
{
    // A plain load first: wake tokens are rare, a locked exchange every time
    // is not free.
    if (wake_tokens_.load(std::memory_order_relaxed) != 0) {
        token_balance_ -=
            static_cast<std::int64_t>(wake_tokens_.exchange(0, std::memory_order_relaxed));
    }
    // All owed tokens in one take: one transfer of the semaphore's line.
    if (token_balance_ < 0) {
        token_balance_ +=
            static_cast<std::int64_t>(sem_w_.try_take(static_cast<std::uint64_t>(-token_balance_)));
    }
}

void reader_impl::release(std::uint64_t ticket) noexcept
{
    // Declared first, destroyed last: the detached reader's ownership, ended
    // once the lock is released and nothing of ours is used any more.
    std::shared_ptr<reader_impl> last_owner;
    const std::lock_guard lock(mutex_);
    // The tokens are posted under the lock, before our frame stops counting:
    // once the count reaches 0, another thread may destroy the reader (its
    // owner, or the release of another frame of a detached one), semaphore
    // handles included.
    post_release_tokens(ring_.release_frame(ticket).frames);
    if (--frames_out_ == 0) {
        last_owner = std::move(keep_alive_);
    }
}

std::uint64_t reader_impl::frames_read() const noexcept
{
    return frames_read_.load(std::memory_order_relaxed);
}

std::uint64_t reader_impl::bytes_read() const noexcept
{
    return bytes_read_.load(std::memory_order_relaxed);
}

buffer_health reader_impl::health() const
{
    return make_health(protocol::take_snapshot(view_.oieb()));
}

} // namespace zerobuffer::detail
