// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_HEALTH_HPP
#define ZEROBUFFER_HEALTH_HPP

/// @file
/// A health snapshot of a buffer, computed from its OIEB.

#include <zerobuffer/protocol/oieb.hpp>

#include <cstdint>
#include <iosfwd>
#include <string_view>

namespace zerobuffer {

/// Ring utilization classes: healthy < 80 % <= degraded < 95 % <= critical.
enum class health_state { healthy, degraded, critical };

/// "healthy", "degraded" or "critical".
std::string_view to_string(health_state s) noexcept;

/// Writes `to_string(s)`.
std::ostream& operator<<(std::ostream& os, health_state s);

/// The state of a buffer at one moment.
struct buffer_health {
    protocol::oieb_snapshot oieb; ///< every OIEB field as loaded
    std::uint64_t used_bytes = 0; ///< payload_size - free bytes (0 if free exceeds size)
    double utilization = 0.0;     ///< used_bytes / payload_size, in [0, 1]
    health_state state = health_state::healthy;
    std::uint64_t frames_in_flight = 0; ///< written - read count (0 if negative)
};

/// Computes utilization and state from a snapshot; tolerant of corrupted values.
buffer_health make_health(const protocol::oieb_snapshot& s) noexcept;

} // namespace zerobuffer

#endif // ZEROBUFFER_HEALTH_HPP
