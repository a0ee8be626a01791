// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/health.hpp>

#include <ostream>

namespace zerobuffer {

std::string_view to_string(health_state s) noexcept
{
    switch (s) {
    case health_state::healthy: return "healthy";
    case health_state::degraded: return "degraded";
    case health_state::critical: return "critical";
    }
    return "unknown";
}

std::ostream& operator<<(std::ostream& os, health_state s)
{
    return os << to_string(s);
}

buffer_health make_health(const protocol::oieb_snapshot& s) noexcept
{
    buffer_health h;
    h.oieb = s;
    if (s.payload_size != 0 && s.payload_free_bytes <= s.payload_size) {
        h.used_bytes = s.payload_size - s.payload_free_bytes;
        h.utilization = static_cast<double>(h.used_bytes) / static_cast<double>(s.payload_size);
    }
    h.state = h.utilization < 0.80   ? health_state::healthy
              : h.utilization < 0.95 ? health_state::degraded
                                     : health_state::critical;
    h.frames_in_flight = s.payload_written_count > s.payload_read_count
                             ? s.payload_written_count - s.payload_read_count
                             : 0;
    return h;
}

} // namespace zerobuffer
