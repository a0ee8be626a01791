// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/process.hpp>

#include <cerrno>
#include <climits>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace zerobuffer::detail {

std::uint64_t current_pid() noexcept
{
    return static_cast<std::uint64_t>(::getpid());
}

bool process_exists(std::uint64_t pid) noexcept
{
    // A stored pid is untrusted: 0, negative or oversized values would make
    // kill() address process groups or every process.
    if (pid == 0 || pid > static_cast<std::uint64_t>(INT_MAX)) {
        return false;
    }
    if (::kill(static_cast<pid_t>(pid), 0) == 0) {
        return true;
    }
    return errno == EPERM;
}

} // namespace zerobuffer::detail
