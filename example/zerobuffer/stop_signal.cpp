// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "stop_signal.hpp"

#include <csignal>
#include <ctime>

#include <pthread.h>

namespace zerobuffer::tool {

namespace {

volatile std::sig_atomic_t stop_flag = 0;

extern "C" void on_stop_signal(int)
{
    stop_flag = 1;
}

sigset_t stop_signal_set()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

} // namespace

void install_stop_handlers()
{
    struct sigaction sa = {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; // no SA_RESTART: a blocking call returns and the loop looks at the flag
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() noexcept
{
    return stop_flag != 0;
}

void block_stop_signals()
{
    const sigset_t set = stop_signal_set();
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool wait_for_stop_signal(std::chrono::nanoseconds timeout)
{
    if (stop_flag != 0) {
        return true;
    }
    const sigset_t set = stop_signal_set();
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
    timespec ts{};
    ts.tv_sec = static_cast<std::time_t>(secs.count());
    ts.tv_nsec = static_cast<long>((timeout - secs).count());
    const int sig = ::sigtimedwait(&set, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
        stop_flag = 1;
        return true;
    }
    return false; // EAGAIN (timeout) or EINTR (another signal): the caller looks again
}

} // namespace zerobuffer::tool
