// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

namespace zerobuffer::tool {

namespace {

/// Length of the UTF-8 sequence at `p` (0 when malformed).
std::size_t utf8_length(const unsigned char* p, std::size_t left) noexcept
{
    const unsigned char c = p[0];
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
        return 1;
    }
    if ((c & 0xe0U) == 0xc0U) {
        len = 2;
        cp = c & 0x1fU;
    } else if ((c & 0xf0U) == 0xe0U) {
        len = 3;
        cp = c & 0x0fU;
    } else if ((c & 0xf8U) == 0xf0U) {
        len = 4;
        cp = c & 0x07U;
    } else {
        return 0;
    }
    if (len > left) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((p[k] & 0xc0U) != 0x80U) {
            return 0;
        }
        cp = (cp << 6) | (p[k] & 0x3fU);
    }
    static constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

/// Where the value of top-level `key` starts in `json`, or npos.
std::size_t value_start(std::string_view json, std::string_view key)
{
    const std::string needle = "\"" + std::string(key) + "\":";
    // Only top-level keys: track nesting depth and skip strings.
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            if (depth == 1 && json.substr(i).starts_with(needle)) {
                return i + needle.size();
            }
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return std::string_view::npos;
}

} // namespace

void json_writer::before_value()
{
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) {
            out_ << ',';
        }
        first_.back() = false;
    }
}

json_writer& json_writer::begin_object()
{
    before_value();
    out_ << '{';
    first_.push_back(true);
    return *this;
}

json_writer& json_writer::end_object()
{
    out_ << '}';
    first_.pop_back();
    return *this;
}

json_writer& json_writer::begin_array()
{
    before_value();
    out_ << '[';
    first_.push_back(true);
    return *this;
}

json_writer& json_writer::end_array()
{
    out_ << ']';
    first_.pop_back();
    return *this;
}

json_writer& json_writer::key(std::string_view k)
{
    value(k);
    out_ << ':';
    after_key_ = true;
    return *this;
}

json_writer& json_writer::value(std::string_view s)
{
    before_value();
    out_ << '"';
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0;
    char esc[8];
    while (i < s.size()) {
        const unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            out_ << '\\' << static_cast<char>(c);
        } else if (c == '\n') {
            out_ << "\\n";
        } else if (c == '\t') {
            out_ << "\\t";
        } else if (c == '\r') {
            out_ << "\\r";
        } else if (c < 0x20 || c == 0x7f) {
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out_ << esc;
        } else if (c >= 0x80) {
            const std::size_t len = utf8_length(p + i, s.size() - i);
            if (len == 0) {
                std::snprintf(esc, sizeof esc, "\\u%04x", c);
                out_ << esc;
            } else {
                out_.write(s.data() + i, static_cast<std::streamsize>(len));
                i += len;
                continue;
            }
        } else {
            out_ << static_cast<char>(c);
        }
        ++i;
    }
    out_ << '"';
    return *this;
}

json_writer& json_writer::value(bool b)
{
    before_value();
    out_ << (b ? "true" : "false");
    return *this;
}

json_writer& json_writer::value(double d)
{
    if (!std::isfinite(d)) {
        return null();
    }
    before_value();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", d);
    out_ << buf;
    return *this;
}

json_writer& json_writer::signed_integer(std::int64_t v)
{
    before_value();
    out_ << v;
    return *this;
}

json_writer& json_writer::unsigned_integer(std::uint64_t v)
{
    before_value();
    out_ << v;
    return *this;
}

json_writer& json_writer::null()
{
    before_value();
    out_ << "null";
    return *this;
}

bool is_utf8(std::span<const std::byte> bytes) noexcept
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t len = utf8_length(p + i, bytes.size() - i);
        if (len == 0) {
            return false;
        }
        i += len;
    }
    return true;
}

std::optional<double> json_number(std::string_view json, std::string_view key)
{
    const std::size_t start = value_start(json, key);
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(json.data() + start, json.data() + json.size(), v);
    if (ec != std::errc{}) {
        return std::nullopt;
    }
    return v;
}

std::optional<bool> json_bool(std::string_view json, std::string_view key)
{
    const std::size_t start = value_start(json, key);
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view rest = json.substr(start);
    if (rest.starts_with("true")) {
        return true;
    }
    if (rest.starts_with("false")) {
        return false;
    }
    return std::nullopt;
}

} // namespace zerobuffer::tool
