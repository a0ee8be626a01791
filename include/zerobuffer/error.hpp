// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ERROR_HPP
#define ZEROBUFFER_ERROR_HPP

/// @file
/// The error codes of zerobuffer, their `boost::system` category, and the typed
/// exceptions that the throwing API raises. Every exception carries the same
/// `error_code` that the non-throwing overloads report.

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <cerrno>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

namespace zerobuffer {

/// Everything that can go wrong with a buffer, as PROTOCOL.md names it.
enum class errc {
    writer_dead = 1,          ///< The writer process no longer exists.
    writer_disconnected,      ///< The writer closed and every frame it committed was read.
    reader_dead,              ///< The reader process no longer exists.
    buffer_full,              ///< No space was freed before the write timeout passed.
    frame_too_large,          ///< The frame can never be placed in this ring.
    invalid_frame_size,       ///< A frame of zero bytes was written.
    sequence_error,           ///< A frame arrived with an unexpected sequence number.
    metadata_already_written, ///< Metadata is written at most once per buffer.
    metadata_too_large,       ///< 8 + metadata length exceeds the metadata block.
    corrupted_buffer,         ///< Shared memory holds values outside the protocol's ranges.
    incompatible_version,     ///< The segment speaks another major protocol version.
    no_reader,                ///< No live reader owns a buffer of this name.
    writer_already_connected, ///< Another live writer is attached to the buffer.
    reader_already_exists,    ///< Another live reader owns a buffer of this name.
    invalid_name,             ///< The buffer name cannot name the platform resources.
    invalid_config,           ///< The buffer configuration is out of range.
    invalid_state,            ///< The call does not fit the object's state (e.g. closed).
    timed_out,                ///< A bounded wait ended without a result.
};

/// The enumerator's name, e.g. "buffer_full" (stable: tools print it in JSON).
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

#define ZEROBUFFER_DECLARE_ERROR(name)                                                             \
    class name : public error {                                                                    \
    public:                                                                                        \
        using error::error;                                                                        \
    };

ZEROBUFFER_DECLARE_ERROR(writer_dead)
ZEROBUFFER_DECLARE_ERROR(writer_disconnected)
ZEROBUFFER_DECLARE_ERROR(reader_dead)
ZEROBUFFER_DECLARE_ERROR(buffer_full)
ZEROBUFFER_DECLARE_ERROR(frame_too_large)
ZEROBUFFER_DECLARE_ERROR(invalid_frame_size)
ZEROBUFFER_DECLARE_ERROR(sequence_error)
ZEROBUFFER_DECLARE_ERROR(metadata_already_written)
ZEROBUFFER_DECLARE_ERROR(metadata_too_large)
ZEROBUFFER_DECLARE_ERROR(corrupted_buffer)
ZEROBUFFER_DECLARE_ERROR(incompatible_version)
ZEROBUFFER_DECLARE_ERROR(no_reader)
ZEROBUFFER_DECLARE_ERROR(writer_already_connected)
ZEROBUFFER_DECLARE_ERROR(reader_already_exists)
ZEROBUFFER_DECLARE_ERROR(invalid_name)
ZEROBUFFER_DECLARE_ERROR(invalid_config)
ZEROBUFFER_DECLARE_ERROR(invalid_state)

#undef ZEROBUFFER_DECLARE_ERROR

/// Throws the exception type that matches `ec` (e.g. `buffer_full` for
/// `errc::buffer_full`, `error` for system codes). `what` prefixes the message.
/// Precondition: `ec` is a failure.
[[noreturn]] void throw_error(const boost::system::error_code& ec, const std::string& what);

} // namespace zerobuffer

namespace boost::system {
template <>
struct is_error_code_enum<zerobuffer::errc> : std::true_type {
};
} // namespace boost::system

#endif // ZEROBUFFER_ERROR_HPP
