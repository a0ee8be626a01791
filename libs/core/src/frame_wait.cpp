// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// A reader's wait for a frame, driven by the caller: the machine of
// read_frame, stopped where it must sleep.

#include "driven_machine.hpp"
#include "reader_frame_wait.hpp"
#include "reader_impl.hpp"

#include <zerobuffer/frame_wait.hpp>
#include <zerobuffer/reader.hpp>

namespace zerobuffer {
namespace detail {

struct driven_frame_wait {
    driven_frame_wait(std::shared_ptr<reader_impl> r, std::chrono::nanoseconds timeout,
                      const wait_strategy& strategy)
        : reader(std::move(r)), interrupt(reader->closing_), ops(*reader, interrupt),
          machine(ops, reader->sleepers_, interrupt, strategy, timeout)
    {
    }

    driven_frame_wait(const driven_frame_wait&) = delete;
    driven_frame_wait& operator=(const driven_frame_wait&) = delete;

    ~driven_frame_wait()
    {
        machine.slept(false); // a wait destroyed asleep no longer counts as a sleeper
        if (!done && machine.holds_token()) {
            // Abandoned before it looked: count the token as finish() would.
            const std::lock_guard lock(reader->mutex_);
            ++reader->token_balance_;
        }
        // A frame not taken goes back first (its release needs the state);
        // then our share of the state is given up as the reader gives up its
        // own: a frame this wait handed out may outlive both.
        result.release();
        reader_impl::detach(std::move(reader));
    }

    wait_step advance()
    {
        if (done) {
            return wait_step::done;
        }
        if (!started) {
            started = true;
            if (interrupt.stop_requested()) {
                // Interrupted before it looked: the frame there, if any,
                // stays for the next read.
                return finish(operation_aborted_code());
            }
            if (!reader->is_open()) {
                return finish(errc::invalid_state);
            }
            result = ops.first_look(ec);
            if (result.valid() || ec) {
                return finish(ec); // a gap or a corrupted header found at once, too
            }
            machine.restart();
        }
        while (!machine.run_to_sleep()) {
            if (ops.finish(machine.outcome(), machine.deadline(), result, ec)) {
                return finish(ec);
            }
            machine.restart(); // woken for nothing
        }
        return wait_step::sleep;
    }

    sem_t* semaphore() const noexcept { return reader->sem_w_.native_handle(); }

    peer_watch watch_peer() const
    {
        return machine.watch_peer([this] { return reader->writer_watch_fd(); });
    }

    void interrupt_now() noexcept
    {
        interrupt.request();
        // One post, no waiting: the driver's loop may be the one that must
        // run for the sleep to end.
        reader->wake_sleeper(interrupt, 1);
    }

    wait_step finish(boost::system::error_code e)
    {
        ec = e;
        done = true;
        return wait_step::done;
    }

    std::shared_ptr<reader_impl> reader;
    wait_interrupt interrupt;
    reader_impl::frame_wait ops;
    driven_machine<reader_impl::frame_wait> machine;
    frame result;
    boost::system::error_code ec;
    bool started = false;
    bool done = false;
};

} // namespace detail

namespace {
std::shared_ptr<detail::reader_impl> checked(std::shared_ptr<detail::reader_impl> impl)
{
    if (!impl) {
        throw_error(errc::invalid_state, "zerobuffer::frame_wait: moved-from reader");
    }
    return impl;
}
} // namespace

frame_wait::frame_wait(reader& r, std::chrono::nanoseconds timeout)
    : frame_wait(r, timeout, checked(r.impl_)->config().wait)
{
}

frame_wait::frame_wait(reader& r, std::chrono::nanoseconds timeout, const wait_strategy& strategy)
    : state_(std::make_unique<detail::driven_frame_wait>(checked(r.impl_), timeout, strategy))
{
}

frame_wait::frame_wait(frame_wait&&) noexcept = default;
frame_wait& frame_wait::operator=(frame_wait&&) noexcept = default;

frame_wait::~frame_wait() = default;

wait_step frame_wait::advance()
{
    return state_->advance();
}

sem_t* frame_wait::semaphore() const noexcept
{
    return state_->semaphore();
}

std::chrono::steady_clock::time_point frame_wait::sleep_until() const noexcept
{
    return state_->machine.sleep_until();
}

peer_watch frame_wait::watch_peer() const
{
    return state_->watch_peer();
}

void frame_wait::slept(bool taken) noexcept
{
    state_->machine.slept(taken);
}

bool frame_wait::done() const noexcept
{
    return state_ && state_->done;
}

frame frame_wait::take_frame(boost::system::error_code& ec)
{
    ec = state_->ec;
    return std::move(state_->result);
}

frame frame_wait::take_frame()
{
    boost::system::error_code ec;
    frame f = take_frame(ec);
    if (ec) {
        throw_error(ec, "zerobuffer::frame_wait::take_frame '" + state_->reader->name() + "'");
    }
    return f;
}

void frame_wait::interrupt() noexcept
{
    state_->interrupt_now();
}

} // namespace zerobuffer
