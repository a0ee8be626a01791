// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_LIBS_CORE_WRITER_SPACE_WAIT_HPP
#define ZEROBUFFER_LIBS_CORE_WRITER_SPACE_WAIT_HPP

// A writer's wait for room in the ring, shared by the blocking writes
// (writer_impl.cpp) and the externally driven one (space_wait.cpp).

#include "writer_impl.hpp"

#include <mutex>

namespace zerobuffer::detail {

/// One wait for room for a frame of `size` bytes: the actions of its machine
/// (see `drive_wait`), and the reservation after it.
class writer_impl::space_wait {
public:
    space_wait(writer_impl& writer, wait_interrupt& interrupt, std::size_t size) noexcept
        : writer_(writer), interrupt_(interrupt), size_(size)
    {
    }

    /// Finds the free bytes the frame needs where it would be placed now
    /// (caller holds the writer's mutex).
    void aim() noexcept
    {
        protocol::write_placement placement;
        protocol::place_frame(writer_.view_.layout.payload_size, writer_.ring_.write_pos(), size_,
                              placement);
        needed_ = placement.space_needed;
        aimed_at_ = written();
        polls_ = 0; // each wait looks at the free bytes on its 32nd poll first
    }

    /// After a machine ended with `outcome` (caller holds the writer's
    /// mutex): true when the wait is over, with the frame reserved in
    /// `data`, or `ec` (`buffer_full` once timed out, `invalid_state` when
    /// another thread reserved a zero-copy frame meanwhile); false when it
    /// waits again (then `aim()` was done anew).
    bool finish(wait_outcome outcome, std::span<std::byte>& data, boost::system::error_code& ec)
    {
        if (outcome == wait_outcome::stopped) {
            ec = event_;
            return true;
        }
        if (outcome == wait_outcome::token) {
            writer_.count_taken_token();
        }
        if (interrupt_.requested() || !writer_.is_open()) {
            ec = operation_aborted_code();
            return true;
        }
        if (writer_.ring_.has_reservation()) {
            ec = errc::invalid_state; // as if it had come after that reservation
            return true;
        }
        // A token, or space seen while spinning.
        ec = writer_.ring_.try_reserve(size_, data);
        if (ec != errc::buffer_full || outcome == wait_outcome::timed_out) {
            if (!ec) {
                // A release's token wakes one sleeper, and a wait that went
                // to sleep may have taken the tokens of others: hand one on,
                // so that another write asleep looks again.
                writer_.wake_tokens_.fetch_add(writer_.sleepers_.nudge(writer_.sem_r_),
                                               std::memory_order_relaxed);
            }
            return true;
        }
        ec = {};
        aim(); // another write may have moved the position
        return false;
    }

    // A full ring: the reader's core is busy releasing, and each look at the
    // free bytes takes their cache line from it, slowing the very releases we
    // wait for. Look every 32 pauses (well under a microsecond; the ringful
    // of frames ahead of us takes longer).
    bool ready() noexcept { return (++polls_ & 31U) == 0 && writer_.has_space(needed_); }

    wait_verdict check(bool expensive)
    {
        if (interrupt_.requested()) {
            event_ = operation_aborted_code();
            return wait_verdict::stop;
        }
        // The free bytes may grow by a release whose token an earlier turn
        // consumed. Another write of ours that committed moved the write
        // position this wait aimed at: go and aim anew.
        if (writer_.has_space(needed_) || written() != aimed_at_) {
            return wait_verdict::proceed;
        }
        if (expensive) {
            // The watch's events first: one after this look wakes the next sleep.
            writer_.take_reader_events();
            if (!writer_.reader_alive()) {
                event_ = errc::reader_dead;
                return wait_verdict::stop;
            }
        }
        return wait_verdict::keep_waiting;
    }

    bool prepare_to_sleep()
    {
        // Tokens of releases we did not wait for would only wake us for nothing.
        const std::lock_guard lock(writer_.mutex_);
        writer_.drain_release_tokens();
        return writer_.has_space(needed_);
    }

    bool try_token() noexcept { return writer_.sem_r_.try_wait(); }

    bool sleep_until(std::chrono::steady_clock::time_point until) noexcept
    {
        return writer_.sleepers_.sleep(interrupt_,
                                       [&] { return writer_.sem_r_.wait_until(until); });
    }

private:
    /// The written count, which only this writer's commits change.
    std::uint64_t written() const noexcept
    {
        return writer_.view_.oieb().load(protocol::oieb_field::payload_written_count,
                                         std::memory_order_relaxed);
    }

    writer_impl& writer_;
    wait_interrupt& interrupt_;
    std::uint64_t aimed_at_ = 0; // the written count when the wait was aimed
    std::size_t size_;
    std::uint64_t needed_ = 0;
    unsigned polls_ = 0;
    boost::system::error_code event_;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_LIBS_CORE_WRITER_SPACE_WAIT_HPP
