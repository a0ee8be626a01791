// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace zerobuffer::tool {

bool stderr_is_terminal() noexcept
{
    return ::isatty(STDERR_FILENO) == 1;
}

std::string format_bytes(double bytes)
{
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    std::size_t u = 0;
    while (bytes >= 1024.0 && u + 1 < std::size(units)) {
        bytes /= 1024.0;
        ++u;
    }
    char buf[32];
    if (u == 0) {
        std::snprintf(buf, sizeof buf, "%.0f B", bytes);
    } else {
        std::snprintf(buf, sizeof buf, bytes < 10 ? "%.2f %s" : "%.1f %s", bytes, units[u]);
    }
    return buf;
}

std::string format_count(std::uint64_t n)
{
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

double transfer_totals::mib_per_second() const noexcept
{
    return seconds > 0 ? static_cast<double>(bytes) / (1024.0 * 1024.0) / seconds : 0.0;
}

double transfer_totals::frames_per_second() const noexcept
{
    return seconds > 0 ? static_cast<double>(frames) / seconds : 0.0;
}

std::string transfer_totals::describe() const
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s frames, %s in %.2f s (%.1f MiB/s, %s frames/s)",
                  format_count(frames).c_str(), format_bytes(static_cast<double>(bytes)).c_str(),
                  seconds, mib_per_second(),
                  format_count(static_cast<std::uint64_t>(frames_per_second())).c_str());
    return buf;
}

progress_line::progress_line(std::string label, bool live, std::chrono::milliseconds interval)
    : label_(std::move(label)), live_(live), interval_(interval),
      next_(clock_type::now() + interval), last_time_(clock_type::now())
{
}

progress_line::~progress_line()
{
    clear();
}

void progress_line::draw(clock_type::time_point now, std::uint64_t frames, std::uint64_t bytes,
                         std::optional<double> utilization)
{
    if (!live_) {
        return;
    }
    const double dt = std::chrono::duration<double>(now - last_time_).count();
    const double rate =
        dt > 0 ? static_cast<double>(bytes - last_bytes_) / (1024.0 * 1024.0) / dt : 0.0;
    last_time_ = now;
    last_bytes_ = bytes;
    next_ = now + interval_;

    char ring[32] = "";
    if (utilization) {
        std::snprintf(ring, sizeof ring, "  ring %3.0f%%", *utilization * 100.0);
    }
    // \r and "erase to end of line": the readout overwrites itself.
    std::fprintf(stderr, "\r\033[K%s  %s frames  %s  %.1f MiB/s%s", label_.c_str(),
                 format_count(frames).c_str(), format_bytes(static_cast<double>(bytes)).c_str(),
                 rate, ring);
    std::fflush(stderr);
    drawn_ = true;
}

void progress_line::clear()
{
    if (drawn_) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        drawn_ = false;
    }
}

} // namespace zerobuffer::tool
