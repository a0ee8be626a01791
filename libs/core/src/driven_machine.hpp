// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_LIBS_CORE_DRIVEN_MACHINE_HPP
#define ZEROBUFFER_LIBS_CORE_DRIVEN_MACHINE_HPP

// The machine of a wait driven from outside a blocking call, as both sides
// run it (frame_wait.cpp, space_wait.cpp): up to a sleep, which counts the
// wait as a sleeper until the driver reports its end, and anew after a
// wake-up that found nothing.

#include <zerobuffer/detail/deadline.hpp>
#include <zerobuffer/detail/interrupt.hpp>
#include <zerobuffer/detail/token_wait.hpp>
#include <zerobuffer/detail/wait_machine.hpp>
#include <zerobuffer/wait_step.hpp>

#include <chrono>
#include <utility>

namespace zerobuffer::detail {

template <class Ops>
class driven_machine {
public:
    driven_machine(Ops& ops, sleepers& sleeping, wait_interrupt& interrupt,
                   const wait_strategy& strategy, std::chrono::nanoseconds timeout) noexcept
        : ops_(ops), sleepers_(sleeping), interrupt_(interrupt), strategy_(strategy),
          deadline_(timeout), machine_(strategy_, deadline_)
    {
    }
    driven_machine(const driven_machine&) = delete;
    driven_machine& operator=(const driven_machine&) = delete;

    /// Runs the machine until the driver must sleep (true) or the machine
    /// ended (false: `outcome()` says how). An interrupted wait never sleeps.
    bool run_to_sleep()
    {
        for (;;) {
            action_ = run_until_sleep(machine_, ops_, action_);
            if (action_ != wait_action::sleep) {
                return false;
            }
            if (sleepers_.begin_sleep(interrupt_)) {
                asleep_ = true;
                return true;
            }
            sleepers_.end_sleep(interrupt_);
            action_ = machine_.slept(false);
        }
    }

    /// A new machine under the same deadline, after a wake-up for nothing.
    void restart() noexcept
    {
        machine_ = wait_machine(strategy_, deadline_);
        action_ = machine_.start();
    }

    /// The end of the driver's sleep (nothing when not asleep).
    void slept(bool taken) noexcept
    {
        if (asleep_) {
            asleep_ = false;
            sleepers_.end_sleep(interrupt_);
            action_ = machine_.slept(taken);
        }
    }

    /// The machine ended with a token its side has not counted yet.
    bool holds_token() const noexcept
    {
        return action_ == wait_action::done && machine_.outcome() == wait_outcome::token;
    }

    wait_outcome outcome() const noexcept { return machine_.outcome(); }
    lazy_deadline& deadline() noexcept { return deadline_; }
    std::chrono::steady_clock::time_point sleep_until() const noexcept
    {
        return machine_.sleep_until();
    }
    /// What a driver may watch during the current sleep (frame_wait and
    /// space_wait::watch_peer): `watch_fd()`, the side's descriptor or -1,
    /// is asked only when the slice may be watched at all.
    template <class WatchFd>
    peer_watch watch_peer(WatchFd&& watch_fd) const
    {
        const auto until = machine_.sleep_until();
        const auto watched_until = machine_.watched_sleep_until();
        if (watched_until == until) {
            return {-1, until}; // a first slice, or one that ends at the deadline anyway
        }
        const int fd = std::forward<WatchFd>(watch_fd)();
        return fd < 0 ? peer_watch{-1, until} : peer_watch{fd, watched_until};
    }

private:
    Ops& ops_;
    sleepers& sleepers_;
    wait_interrupt& interrupt_;
    wait_strategy strategy_;
    lazy_deadline deadline_;
    wait_machine machine_;
    wait_action action_ = wait_action::done; // until restart() starts it
    bool asleep_ = false;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_LIBS_CORE_DRIVEN_MACHINE_HPP
