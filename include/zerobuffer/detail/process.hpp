// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_PROCESS_HPP
#define ZEROBUFFER_DETAIL_PROCESS_HPP

#include <cstdint>

namespace zerobuffer::detail {

/// This process's id, as stored in the OIEB.
std::uint64_t current_pid() noexcept;

/// Liveness as the protocol defines it: the pid exists (`kill(pid, 0)`
/// succeeds or fails with EPERM). 0 and values that are no pid are not alive.
bool process_exists(std::uint64_t pid) noexcept;

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_PROCESS_HPP
