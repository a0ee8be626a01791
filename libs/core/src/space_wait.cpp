// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// A writer's wait for room, driven by the caller: the machine of write_frame,
// stopped where it must sleep.

#include "driven_machine.hpp"
#include "writer_impl.hpp"
#include "writer_space_wait.hpp"

#include <zerobuffer/space_wait.hpp>
#include <zerobuffer/writer.hpp>

namespace zerobuffer {
namespace detail {

struct driven_space_wait {
    driven_space_wait(writer_impl& w, std::size_t frame_size, std::chrono::nanoseconds timeout,
                      const wait_strategy& strategy)
        : writer(w), size(frame_size), interrupt(w.closing_), ops(w, interrupt, frame_size),
          machine(ops, w.sleepers_, interrupt, strategy, timeout)
    {
    }

    driven_space_wait(const driven_space_wait&) = delete;
    driven_space_wait& operator=(const driven_space_wait&) = delete;

    ~driven_space_wait()
    {
        machine.slept(false); // a wait destroyed asleep no longer counts as a sleeper
        if (!done && machine.holds_token()) {
            // Abandoned before it looked: count the token as finish() would.
            const std::lock_guard lock(writer.mutex_);
            writer.count_taken_token();
        }
    }

    wait_step advance()
    {
        if (done) {
            return wait_step::done;
        }
        if (!started) {
            started = true;
            if (interrupt.stop_requested()) {
                // Interrupted before it looked: it reserves nothing, even
                // where there is room now.
                end(operation_aborted_code());
                return wait_step::done;
            }
            if (reserve_now()) {
                return wait_step::done;
            }
            machine.restart();
        }
        while (!machine.run_to_sleep()) {
            if (finish(machine.outcome())) {
                return wait_step::done;
            }
            machine.restart(); // woken for nothing
        }
        return wait_step::sleep;
    }

    /// The first look: reserved (or failed) at once, or the wait is aimed.
    bool reserve_now()
    {
        const std::lock_guard lock(writer.mutex_);
        if (!writer.is_open() || writer.ring_.has_reservation()) {
            return end(errc::invalid_state);
        }
        boost::system::error_code e = writer.ring_.try_reserve(size, area);
        if (e != errc::buffer_full) {
            return end(e);
        }
        ops.aim();
        return false;
    }

    /// After the machine ended: reserve as a blocking write would.
    bool finish(wait_outcome outcome)
    {
        const std::lock_guard lock(writer.mutex_);
        return ops.finish(outcome, area, ec) && end(ec);
    }

    /// Ends the wait with `e`; a reservation made counts its size.
    bool end(boost::system::error_code e)
    {
        ec = e;
        if (!ec && !area.empty()) {
            writer.pending_size_ = area.size();
        }
        done = true;
        return true;
    }

    sem_t* semaphore() const noexcept { return writer.sem_r_.native_handle(); }

    peer_watch watch_peer() const
    {
        return machine.watch_peer([this] { return writer.reader_watch_fd(); });
    }

    void interrupt_now() noexcept
    {
        interrupt.request();
        writer.wake_sleeper(interrupt, 1);
    }

    writer_impl& writer;
    std::size_t size;
    wait_interrupt interrupt;
    writer_impl::space_wait ops;
    driven_machine<writer_impl::space_wait> machine;
    std::span<std::byte> area;
    boost::system::error_code ec;
    bool started = false;
    bool done = false;
};

} // namespace detail

space_wait::space_wait(writer& w, std::size_t size)
    : space_wait(w, size, w.write_timeout(), w.checked_impl().options().wait)
{
}

space_wait::space_wait(writer& w, std::size_t size, std::chrono::nanoseconds timeout,
                       const wait_strategy& strategy)
    : state_(std::make_unique<detail::driven_space_wait>(w.checked_impl(), size, timeout, strategy))
{
}

space_wait::space_wait(space_wait&&) noexcept = default;
space_wait& space_wait::operator=(space_wait&&) noexcept = default;

space_wait::~space_wait() = default;

wait_step space_wait::advance()
{
    return state_->advance();
}

sem_t* space_wait::semaphore() const noexcept
{
    return state_->semaphore();
}

std::chrono::steady_clock::time_point space_wait::sleep_until() const noexcept
{
    return state_->machine.sleep_until();
}

peer_watch space_wait::watch_peer() const
{
    return state_->watch_peer();
}

void space_wait::slept(bool taken) noexcept
{
    state_->machine.slept(taken);
}

bool space_wait::done() const noexcept
{
    return state_ && state_->done;
}

std::span<std::byte> space_wait::take_buffer(boost::system::error_code& ec)
{
    ec = state_->ec;
    return ec ? std::span<std::byte>{} : std::exchange(state_->area, {});
}

std::span<std::byte> space_wait::take_buffer()
{
    boost::system::error_code ec;
    auto area = take_buffer(ec);
    if (ec) {
        throw_error(ec, "zerobuffer::space_wait::take_buffer '" + state_->writer.name() + "'");
    }
    return area;
}

void space_wait::interrupt() noexcept
{
    state_->interrupt_now();
}

} // namespace zerobuffer
