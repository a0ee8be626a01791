// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_SEGMENT_VIEW_HPP
#define ZEROBUFFER_TOOL_SEGMENT_VIEW_HPP

// A look at a live buffer from outside: its segment mapped read-only, so the
// tool can read the OIEB of a buffer it is not part of without disturbing it
// (no attach, no lock, no write: a stray store would fault, not corrupt).

#include <zerobuffer/health.hpp>
#include <zerobuffer/protocol/oieb.hpp>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <boost/system/error_code.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace zerobuffer::tool {

/// The protocol's liveness test: `kill(pid, 0)` succeeds or fails with EPERM.
/// 0 and values that cannot be pids are not alive.
bool pid_alive(std::uint64_t pid) noexcept;

/// The segment of buffer NAME (/dev/shm/NAME), mapped read-only.
class segment_view {
public:
    /// Opens and maps the segment. Errors in `ec`: ENOENT (no such buffer),
    /// EACCES, or EINVAL for an empty segment (being created).
    static std::optional<segment_view> open(const std::string& name, boost::system::error_code& ec);

    std::uint64_t size() const noexcept { return region_.get_size(); }
    std::span<const std::byte> bytes() const noexcept
    {
        return {static_cast<const std::byte*>(region_.get_address()), region_.get_size()};
    }

    /// The OIEB's fields now. Precondition: `size() >= 128`.
    protocol::oieb_snapshot snapshot() const noexcept;

private:
    boost::interprocess::shared_memory_object object_;
    boost::interprocess::mapped_region region_;
};

/// What the OIEB of a segment says, checked against the protocol.
struct segment_status {
    std::uint64_t segment_size = 0;
    protocol::oieb_snapshot oieb;
    bool valid = false;                ///< validate_oieb passed
    std::string problem;               ///< why not, when not valid
    buffer_health health;              ///< utilization and state (from the snapshot)
    std::uint64_t metadata_length = 0; ///< bytes of metadata the writer stored
    bool reader_alive = false;
    bool writer_alive = false;
};

/// Reads and checks the OIEB of `view`.
segment_status examine(const segment_view& view);

/// The metadata the writer stored, when the status is valid and there is some.
std::span<const std::byte> metadata_of(const segment_view& view, const segment_status& status);

/// The segment's file: "/dev/shm/NAME".
std::string segment_path(const std::string& name);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_SEGMENT_VIEW_HPP
