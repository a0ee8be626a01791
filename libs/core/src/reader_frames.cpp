// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// A reader's frame path: waiting for a frame, consuming it, releasing it, and
// the sem-w tokens that go with them.

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

/// The actions of one wait for a frame. A commit changes the free bytes first
/// (it is the commit point): the line a spinning wait polls. The free bytes
/// can come back to the value seen (a release by another thread, then a
/// commit of the same size); the written count only grows, and is looked at
/// with the peer checks, every few dozen polls. Both are loaded before the
/// look at the ring that found nothing, so a frame committed after that look
/// changes them.
class reader_impl::frame_wait {
public:
    frame_wait(reader_impl& reader, wait_interrupt& interrupt) noexcept
        : reader_(reader), interrupt_(interrupt)
    {
    }

    /// Loads the values the wait watches (before the caller's look at the ring).
    void watch() noexcept
    {
        seen_free_ = free_bytes();
        seen_written_ = written();
    }
    /// Where the next header will be (caller holds the reader's mutex).
    void expect_header_at(std::span<const std::byte> area) noexcept { next_header_ = area; }
    /// What ended the wait when it `stopped`.
    const boost::system::error_code& event() const noexcept { return event_; }

    bool ready() noexcept
    {
        if (free_bytes() == seen_free_) {
            return false;
        }
        // The moment a commit shows, ask for the lines of the header (and of
        // a small frame's data) at once: from here to the frame, the lock's
        // fences would make each miss wait for the one before. Not on every
        // poll, which would pull the lines while the writer still fills them.
        prefetch_for_read(next_header_);
        return true;
    }

    wait_verdict check(bool expensive)
    {
        if (interrupt_.requested()) {
            event_ = operation_aborted_code();
            return wait_verdict::stop;
        }
        return written() != seen_written_ ? wait_verdict::proceed
                                          : reader_.check_writer(expensive, event_);
    }

    bool prepare_to_sleep()
    {
        const std::lock_guard lock(reader_.mutex_);
        // Tokens of frames already read would only wake us for nothing. One
        // we take may announce a frame committed after our last look (if we
        // owe more tokens than will come): look once more before sleeping.
        reader_.drain_tokens();
        return reader_.ring_.has_unread_bytes();
    }

    bool try_token() noexcept { return reader_.sem_w_.try_wait(); }

    bool sleep_until(std::chrono::steady_clock::time_point until) noexcept
    {
        return reader_.sleepers_.sleep(interrupt_,
                                       [&] { return reader_.sem_w_.wait_until(until); });
    }

private:
    std::uint64_t free_bytes() const noexcept
    {
        return reader_.view_.oieb().load(protocol::oieb_field::payload_free_bytes,
                                         std::memory_order_relaxed);
    }
    std::uint64_t written() const noexcept
    {
        return reader_.view_.oieb().load(protocol::oieb_field::payload_written_count,
                                         std::memory_order_relaxed);
    }

    reader_impl& reader_;
    wait_interrupt& interrupt_;
    std::uint64_t seen_free_ = 0;
    std::uint64_t seen_written_ = 0;
    std::span<const std::byte> next_header_;
    boost::system::error_code event_;
};

void reader_impl::wake_all_sleepers() noexcept
{
    wake_tokens_.fetch_add(sleepers_.wake_all(sem_w_), std::memory_order_relaxed);
}

void reader_impl::wake_sleeper(const wait_interrupt& interrupt) noexcept
{
    wake_tokens_.fetch_add(sleepers_.wake(interrupt, sem_w_), std::memory_order_relaxed);
}

frame reader_impl::read_frame(std::chrono::nanoseconds timeout, const wait_strategy& strategy,
                              const std::stop_token& stop, boost::system::error_code& ec)
{
    // What the writer has committed (its free-byte count) is the truth; a
    // sem-w token only wakes us. A writer that died between commit and post
    // leaves a frame without a token, and we deliver it all the same.
    ec = {};
    if (!is_open()) {
        ec = errc::invalid_state;
        return {};
    }
    wait_interrupt interrupt(closing_);
    frame_wait wait(*this, interrupt);
    wait.watch();
    {
        const std::lock_guard lock(mutex_);
        if (ring_.has_unread_bytes()) {
            return consume(ec); // streaming: no clock, no semaphore
        }
        wait.expect_header_at(ring_.next_header_area(2 * prefetch_line_size));
    }
    // Registered only once the read must wait, and never under the lock: the
    // callback may run at once, on this thread.
    const stop_hook hook(stop, [this, &interrupt] {
        interrupt.request();
        wake_sleeper(interrupt);
    });
    lazy_deadline deadline(timeout);
    for (;;) {
        wait_machine machine(strategy, deadline);
        const auto outcome = drive_wait(machine, wait);
        if (outcome == wait_outcome::timed_out) {
            return {};
        }
        if (outcome == wait_outcome::stopped) {
            ec = wait.event();
            return {};
        }
        {
            const std::lock_guard lock(mutex_);
            if (outcome == wait_outcome::token) {
                ++token_balance_; // matched by the frame it announces, or repays one
            }
            if (ring_.has_unread_bytes()) {
                return consume(ec);
            }
        }
        // Nothing for us (another thread took it, a release brought the free
        // bytes back, or the token woke us to stop). The values to wait on
        // are loaded before the look that found nothing; not on the way to a
        // frame above, where the written count's line is the one the writer
        // has just stored to. The timeout runs from here at the latest,
        // however soon each wait is woken.
        if (interrupt.requested()) {
            ec = operation_aborted_code();
            return {};
        }
        deadline.get();
        wait.watch();
        const std::lock_guard lock(mutex_);
        if (ring_.has_unread_bytes()) {
            return consume(ec);
        }
        wait.expect_header_at(
            ring_.next_header_area(2 * prefetch_line_size)); // another read moved it
    }
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
    token_balance_ -=
        static_cast<std::int64_t>(wake_tokens_.exchange(0, std::memory_order_relaxed));
    while (token_balance_ < 0 && sem_w_.try_wait()) {
        ++token_balance_;
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
