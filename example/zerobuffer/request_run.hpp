// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_REQUEST_RUN_HPP
#define ZEROBUFFER_TOOL_REQUEST_RUN_HPP

// The traffic of `request`: N requests through a duplex client, up to K
// outstanding, each timed from its commit to its response, and with --verify
// each response checked against its request.

#include <zerobuffer/duplex/client.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace zerobuffer::tool {

struct request_plan {
    std::uint64_t count = 1000;
    std::size_t size = 1024;
    std::size_t pipeline = 1;
    bool verify = false;
    /// How long a response (or room for a request) may take before the run
    /// fails: the time allowed without progress.
    std::chrono::nanoseconds timeout = std::chrono::seconds(5);
};

/// How a run ended.
enum class request_end { count, interrupted, timeout, server_dead, server_stopped, failed };
std::string_view to_string(request_end e) noexcept;

struct request_outcome {
    request_end end = request_end::count;
    std::uint64_t sent = 0;
    std::uint64_t responses = 0;       ///< every response, error responses included
    std::uint64_t error_responses = 0; ///< `handler_failed`: the server's handler failed
    std::uint64_t mismatches = 0;      ///< with verify: responses that do not echo their request
    std::vector<std::string> problems; ///< the first few mismatches and error texts
    std::vector<std::chrono::nanoseconds> latencies; ///< one per response, in order
    double seconds = 0;                              ///< from the start to the last response
    std::string error;                               ///< why the run failed, if it did

    bool ok() const noexcept
    {
        return end == request_end::count && error_responses == 0 && mismatches == 0;
    }
};

/// Runs `plan` through `client`, which must be fresh (no request sent yet).
/// Stops early on SIGINT/SIGTERM (`stop_requested`).
request_outcome run_requests(duplex::client& client, const request_plan& plan);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_REQUEST_RUN_HPP
