// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_BUFFER_CONFIG_HPP
#define ZEROBUFFER_BUFFER_CONFIG_HPP

/// @file
/// What a reader creates: block sizes, file mode, and how it waits.

#include <zerobuffer/wait_strategy.hpp>

#include <cstddef>
#include <cstdint>

namespace zerobuffer {

/// The configuration of a buffer a `reader` creates.
///
/// Sizes are rounded up to multiples of 64 bytes (PROTOCOL.md section 2). A
/// payload size of 0, or a block larger than 1 TiB, is `errc::invalid_config`.
///
/// `mode` is the permission of the segment, both semaphores and the lock file.
/// The default 0600 lets only the creating user attach. A writer running as
/// another user (another container, a service account) needs a wider mode such
/// as 0660 (same group) or 0666 (anyone on the host); the mode is applied
/// exactly, regardless of the process umask.
struct buffer_config {
    std::size_t metadata_size = 1024;
    std::size_t payload_size = 1024 * 1024;
    unsigned mode = 0600;
    wait_strategy wait = {};
};

} // namespace zerobuffer

#endif // ZEROBUFFER_BUFFER_CONFIG_HPP
