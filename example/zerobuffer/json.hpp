// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_JSON_HPP
#define ZEROBUFFER_TOOL_JSON_HPP

// The --json output: a small streaming JSON writer (objects, arrays, strings,
// numbers, booleans, null), and a lookup of top-level numbers in the tool's own
// JSON (the demo reads what its children print).

#include <concepts>
#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace zerobuffer::tool {

/// Writes one JSON value to a stream, compactly. Commas are placed for you:
/// `w.begin_object().field("a", 1).key("b").begin_array().value(2).end_array().end_object();`
class json_writer {
public:
    explicit json_writer(std::ostream& out) : out_(out) {}

    json_writer& begin_object();
    json_writer& end_object();
    json_writer& begin_array();
    json_writer& end_array();
    json_writer& key(std::string_view k);

    /// A string; bytes that are not UTF-8 are written as \u00XX (Latin-1).
    json_writer& value(std::string_view s);
    json_writer& value(const char* s) { return value(std::string_view(s)); }
    json_writer& value(bool b);
    json_writer& value(double d); ///< non-finite values become null
    template <std::integral T>
    requires(!std::same_as<T, bool>) json_writer& value(T v)
    {
        if constexpr (std::is_signed_v<T>) {
            return signed_integer(static_cast<std::int64_t>(v));
        } else {
            return unsigned_integer(static_cast<std::uint64_t>(v));
        }
    }
    json_writer& null();

    template <class T>
    json_writer& field(std::string_view k, const T& v)
    {
        key(k);
        return value(v);
    }
    /// `k: v` or `k: null` when `v` is empty.
    template <class T>
    json_writer& optional_field(std::string_view k, const std::optional<T>& v)
    {
        key(k);
        return v ? value(*v) : null();
    }

private:
    json_writer& signed_integer(std::int64_t v);
    json_writer& unsigned_integer(std::uint64_t v);
    void before_value();

    std::ostream& out_;
    std::vector<bool> first_; ///< per open container: nothing written in it yet
    bool after_key_ = false;
};

/// True when `bytes` is well-formed UTF-8.
bool is_utf8(std::span<const std::byte> bytes) noexcept;

/// The number stored under the top-level `key` of a flat JSON object the tool
/// printed (e.g. `{"frames":12,...}`); empty when absent or not a number.
std::optional<double> json_number(std::string_view json, std::string_view key);
/// Likewise a boolean.
std::optional<bool> json_bool(std::string_view json, std::string_view key);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_JSON_HPP
