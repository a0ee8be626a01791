// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ERROR_HPP
#define ZEROBUFFER_ERROR_HPP

/// @file
/// The error codes of zerobuffer, their `boost::system` category, and the typed
/// exceptions that the throwing API raises. Every exception carries the same
/// `error_code` that the non-throwing overloads report.

#include <zerobuffer/detail/error_list.hpp>

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <cerrno>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

namespace zerobuffer {

/// Everything that can go wrong with a buffer, as PROTOCOL.md names it. The
/// enumerators, their values and what each means are in `ZEROBUFFER_ERROR_LIST`
/// (detail/error_list.hpp); values never change and new codes are appended.
enum class errc {
#define ZEROBUFFER_ERRC_ENUMERATOR(name, value, message, condition) name = value,
    ZEROBUFFER_ERROR_LIST(ZEROBUFFER_ERRC_ENUMERATOR)
#undef ZEROBUFFER_ERRC_ENUMERATOR
};

/// The enumerator's name, e.g. "buffer_full" (stable: tools print it in JSON);
/// "unknown" for a value outside the list.
std::string_view to_string(errc e) noexcept;

/// Writes `to_string(e)`.
std::ostream& operator<<(std::ostream& os, errc e);

/// The category of `errc` values; its name is "zerobuffer".
const boost::system::error_category& error_category() noexcept;

/// Makes an `error_code` of the zerobuffer category.
inline boost::system::error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

/// Groups of `errc` codes that callers handle alike, compared as in
/// `ec == condition::peer_gone`.
enum class condition {
    /// The process on the other side is gone: `writer_dead`, `writer_disconnected`,
    /// `reader_dead`, `server_dead`, `client_gone` or `server_stopped` (the
    /// list's fourth column).
    /// System codes never match.
    peer_gone = 1,
};

/// The category of `condition` values; its name is "zerobuffer.condition".
const boost::system::error_category& condition_category() noexcept;

/// Makes an `error_condition` of the condition category.
inline boost::system::error_condition make_error_condition(condition c) noexcept
{
    return {static_cast<int>(c), condition_category()};
}

/// The code of a wait ended from outside (`close()` from another thread, a
/// stop request): ECANCELED in the system category, so it compares equal to
/// `boost::asio::error::operation_aborted` without the core including Asio.
inline boost::system::error_code operation_aborted_code() noexcept
{
    return {ECANCELED, boost::system::system_category()};
}

/// Base of every exception zerobuffer throws. `code()` holds the error code;
/// system failures (errno values) use the system category.
class error : public boost::system::system_error {
public:
    using boost::system::system_error::system_error;
};

/// One exception class per `errc` code, named as the code (`buffer_full` for
/// `errc::buffer_full`), each derived directly from `error`.
#define ZEROBUFFER_DECLARE_ERROR(name, value, message, condition)                                  \
    class name : public error {                                                                    \
    public:                                                                                        \
        using error::error;                                                                        \
    };
ZEROBUFFER_ERROR_LIST(ZEROBUFFER_DECLARE_ERROR)
#undef ZEROBUFFER_DECLARE_ERROR

/// A wait ended from outside: thrown for `operation_aborted_code()`.
class operation_aborted : public error {
public:
    using error::error;
};

/// Throws the exception type that matches `ec`: the class named as the code for
/// `errc` codes (e.g. `buffer_full` for `errc::buffer_full`), `operation_aborted`
/// for `operation_aborted_code()`, `error` for any other code (system failures,
/// values outside the list). `what` prefixes the message.
/// Precondition: `ec` is a failure.
[[noreturn]] void throw_error(const boost::system::error_code& ec, const std::string& what);

} // namespace zerobuffer

namespace boost::system {
template <>
struct is_error_code_enum<zerobuffer::errc> : std::true_type {
};
template <>
struct is_error_condition_enum<zerobuffer::condition> : std::true_type {
};
} // namespace boost::system

#endif // ZEROBUFFER_ERROR_HPP
