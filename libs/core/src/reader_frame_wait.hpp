// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_LIBS_CORE_READER_FRAME_WAIT_HPP
#define ZEROBUFFER_LIBS_CORE_READER_FRAME_WAIT_HPP

// A reader's wait for a frame, shared by the blocking read (reader_frames.cpp)
// and the externally driven one (frame_wait.cpp).

#include "reader_impl.hpp"

#include <zerobuffer/detail/prefetch.hpp>

#include <mutex>

namespace zerobuffer::detail {

/// One wait for a frame: the actions of its machine (see `drive_wait`), and
/// the look for the frame before and after it. A commit changes the free bytes first
/// (it is the commit point): the line a spinning wait polls. The free bytes
/// can come back to the value seen (a release by another thread, then a
/// commit of the same size); the written count only grows, and is looked at
/// with the peer checks, every few dozen polls. Both are loaded before the
/// look at the ring that found nothing, so a frame committed after that look
/// changes them.
class reader_impl::frame_wait {
public:
    frame_wait(reader_impl& reader, wait_interrupt& interrupt) noexcept
        : reader_(reader), interrupt_(interrupt), oieb_(reader.view_.oieb())
    {
    }

    /// The look before any wait: the next frame if one is committed (invalid
    /// otherwise, or with `ec` set when it is not what the protocol allows).
    /// The blocking read makes the same look before it builds a wait (see
    /// `reader_impl::read_frame`), through `watch` and `look_from`.
    frame first_look(boost::system::error_code& ec)
    {
        watch();
        const std::lock_guard lock(reader_.mutex_);
        if (reader_.frame_committed()) {
            return reader_.consume(ec);
        }
        expect_next_header();
        return {};
    }

    /// Loads the values a wait watches (before the look at the ring).
    static frame_wait_start watch(const protocol::oieb_ref& oieb) noexcept
    {
        return {oieb.load(protocol::oieb_field::payload_free_bytes, std::memory_order_relaxed),
                oieb.load(protocol::oieb_field::payload_written_count, std::memory_order_relaxed),
                {}};
    }
    /// Starts the wait from what a look that found nothing saw.
    void look_from(const frame_wait_start& seen) noexcept
    {
        seen_free_ = seen.free_bytes;
        seen_written_ = seen.written;
        next_header_ = seen.next_header;
    }

    /// After a machine ended with `outcome`: true when the read is over,
    /// with the frame in `out`, or the event in `ec`, or neither (timed out);
    /// false when it was woken for nothing and waits again, under the same
    /// deadline.
    bool finish(wait_outcome outcome, lazy_deadline& deadline, frame& out,
                boost::system::error_code& ec)
    {
        if (outcome == wait_outcome::timed_out) {
            return true;
        }
        if (outcome == wait_outcome::stopped) {
            ec = event_;
            return true;
        }
        {
            const std::lock_guard lock(reader_.mutex_);
            if (outcome == wait_outcome::token) {
                ++reader_.token_balance_; // matched by the frame it announces, or repays one
            }
            if (reader_.frame_committed()) {
                out = reader_.consume(ec);
                return true;
            }
        }
        // Nothing for us (another thread took it, a release brought the free
        // bytes back, or the token woke us to stop). The values to wait on
        // are loaded before the look that found nothing; not on the way to a
        // frame above, where the written count's line is the one the writer
        // has just stored to. The timeout runs from here at the latest,
        // however soon each wait is woken.
        if (interrupt_.requested()) {
            ec = operation_aborted_code();
            return true;
        }
        deadline.get();
        watch();
        const std::lock_guard lock(reader_.mutex_);
        if (reader_.frame_committed()) {
            out = reader_.consume(ec);
            return true;
        }
        expect_next_header(); // another read moved it
        return false;
    }

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
        return reader_.frame_committed();
    }

    bool try_token() noexcept { return reader_.sem_w_.try_wait(); }

    bool sleep_until(std::chrono::steady_clock::time_point until) noexcept
    {
        return reader_.sleepers_.sleep(interrupt_,
                                       [&] { return reader_.sem_w_.wait_until(until); });
    }

private:
    /// Loads the values the wait watches (before the look at the ring).
    void watch() noexcept
    {
        seen_free_ = free_bytes();
        seen_written_ = written();
    }
    /// Where the next header will be (caller holds the reader's mutex).
    void expect_next_header() noexcept
    {
        next_header_ = reader_.ring_.next_header_area(2 * prefetch_line_size);
    }
    std::uint64_t free_bytes() const noexcept
    {
        return oieb_.load(protocol::oieb_field::payload_free_bytes, std::memory_order_relaxed);
    }
    std::uint64_t written() const noexcept
    {
        return oieb_.load(protocol::oieb_field::payload_written_count, std::memory_order_relaxed);
    }

    reader_impl& reader_;
    wait_interrupt& interrupt_;
    const protocol::oieb_ref oieb_; // a copy: the polls load through it directly
    std::uint64_t seen_free_ = 0;
    std::uint64_t seen_written_ = 0;
    std::span<const std::byte> next_header_;
    boost::system::error_code event_;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_LIBS_CORE_READER_FRAME_WAIT_HPP
