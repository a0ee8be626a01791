// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_FORKED_HPP
#define ZEROBUFFER_TEST_SUPPORT_FORKED_HPP

// A forked child that runs one function of the test and exits with its
// result, for multi-process cases that need no peer program.

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <functional>
#include <thread>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace zerobuffer::test {

/// Runs `body` in a forked child that exits with its result (2 if it throws).
inline pid_t fork_child(const std::function<int()>& body)
{
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0, "fork failed");
    if (pid == 0) {
        int code = 2;
        try {
            code = body();
        } catch (...) {
        }
        ::_exit(code);
    }
    return pid;
}

/// The exit code of `pid`, waited for at most 60 s (then killed: -1); -1
/// also when it did not exit normally.
inline int exit_code(pid_t pid)
{
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::seconds(60);
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        if (r < 0 || clock::now() >= deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_FORKED_HPP
