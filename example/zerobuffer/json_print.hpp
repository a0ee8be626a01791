// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_JSON_PRINT_HPP
#define ZEROBUFFER_TOOL_JSON_PRINT_HPP

// How the tool prints its --json output, built as a boost::json::value: compact,
// on one line. boost::json::serialize escapes the strings and writes the
// integers; write_json only decides what Boost.JSON 1.81 gets wrong for us:
// - a double: 1.81 writes the shortest round trip in scientific form (1.5E0,
//   3.7317532219473566E3) and a non-finite one as NaN or Infinity, which is no
//   JSON. write_json writes 9 significant digits (%.9g: 1.5, 3731.75322), as the
//   docs show, and null for a non-finite one: a figure that could not be computed.
// - a string that is not UTF-8: 1.81 copies its bytes, which no JSON parser
//   takes; write_json keeps each malformed byte as a Latin-1 character
//   (utf8_or_latin1). Buffer names are validated UTF-8 and metadata that is
//   not is shown as hex, so this guards the strings added later (an OS message).

// The values the callers build:
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <ostream>
#include <string_view>

namespace zerobuffer::tool {

/// Writes `v` to `out` compactly (no newline after it).
void write_json(std::ostream& out, const boost::json::value& v);

/// `s`, or null when it is empty: an absent error, note or problem.
inline boost::json::value text_or_null(std::string_view s)
{
    return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_JSON_PRINT_HPP
