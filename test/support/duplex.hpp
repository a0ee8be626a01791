// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_DUPLEX_HPP
#define ZEROBUFFER_TEST_SUPPORT_DUPLEX_HPP

// Helpers of the duplex suites: small channels, echo handlers, and the
// resources a channel leaves (PROTOCOL.md sections 1 and 8).

#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/duplex/server.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

namespace zerobuffer::test {

/// Server options with a request ring of `ring` bytes.
inline duplex::server_options small_server(std::size_t ring = 256 * 1024)
{
    duplex::server_options o;
    o.request.payload_size = ring;
    return o;
}

/// Client options with a response ring of `ring` bytes, waiting up to 10 s
/// for the server's request buffer.
inline duplex::client_options small_client(std::size_t ring = 256 * 1024)
{
    duplex::client_options o;
    o.response.payload_size = ring;
    o.request.connect_timeout = std::chrono::seconds(10);
    return o;
}

/// The test pattern of a request (PROTOCOL.md section 9) of `n` bytes and
/// sequence `seq`, which an echo returns as its response.
inline std::vector<std::byte> pattern(std::size_t n, std::uint64_t seq)
{
    return testing::test_data_patterns::frame_data(n, seq);
}

/// An echo that returns the request's bytes.
inline std::vector<std::byte> echo(const duplex::request& req)
{
    return {req.bytes().begin(), req.bytes().end()};
}

/// The files of a channel's two buffers that exist.
inline std::vector<std::string> channel_resources(const std::string& channel)
{
    std::vector<std::string> found;
    for (const std::string& name :
         {duplex::request_buffer_name(channel), duplex::response_buffer_name(channel)}) {
        for (const std::string& path :
             {"/dev/shm/" + name, "/dev/shm/sem.sem-w-" + name, "/dev/shm/sem.sem-r-" + name,
              "/tmp/zerobuffer/" + name + ".lock"}) {
            struct stat st {};
            if (::lstat(path.c_str(), &st) == 0) {
                found.push_back(path);
            }
        }
        // The writers' liveness beacons: /tmp/zerobuffer/writer/NAME.<pid>.lock.
        std::error_code ec;
        for (const auto& entry :
             std::filesystem::directory_iterator("/tmp/zerobuffer/writer", ec)) {
            if (entry.path().filename().string().starts_with(name + ".")) {
                found.push_back(entry.path().string());
            }
        }
    }
    return found;
}

/// Waits up to `limit` for `done()`.
template <class Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = std::chrono::seconds(10))
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_DUPLEX_HPP
