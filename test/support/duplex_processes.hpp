// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_DUPLEX_PROCESSES_HPP
#define ZEROBUFFER_TEST_SUPPORT_DUPLEX_PROCESSES_HPP

// Duplex servers in forked children, for the suites that kill them. Fork
// while the test process runs no thread of its own.

#include "support/duplex.hpp"
#include "support/forked.hpp"

#include <chrono>
#include <string>
#include <thread>

#include <signal.h>
#include <sys/wait.h>

namespace zerobuffer::test {

/// A server in a child process whose handler never answers in time.
inline pid_t stuck_server_process(const std::string& name)
{
    return fork_child([name] {
        duplex::server s(name, small_server());
        s.start([](const duplex::request& req) {
            std::this_thread::sleep_for(std::chrono::seconds(60));
            return echo(req);
        });
        std::this_thread::sleep_for(std::chrono::seconds(120));
        return 0;
    });
}

/// SIGKILLs `pid` and reaps it.
inline void kill_and_reap(pid_t pid)
{
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_DUPLEX_PROCESSES_HPP
