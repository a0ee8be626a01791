// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_COMMANDS_HPP
#define ZEROBUFFER_TOOL_COMMANDS_HPP

// The subcommands of `zerobuffer`. Each takes the words after its name and
// returns the exit code: 0 success, 1 runtime error, 2 usage error (thrown as
// `usage_error`), 130 interrupted.

#include <string>
#include <vector>

namespace zerobuffer::tool {

using arguments = std::vector<std::string>;

int run_read(const arguments& args);
int run_write(const arguments& args);
int run_inspect(const arguments& args);
int run_list(const arguments& args);
int run_cleanup(const arguments& args);
int run_bench(const arguments& args);
int run_demo(const arguments& args);
int run_serve(const arguments& args);
int run_request(const arguments& args);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_COMMANDS_HPP
