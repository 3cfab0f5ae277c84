#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "platform/core/text.hpp"
#include "platform/http/message.hpp"
#include "platform/http/problem.hpp"

// What the harnesses share. A broken invariant prints what broke and aborts: libFuzzer then
// reports a crash and keeps the input (crash-<sha1>), like a sanitizer finding.
namespace microstore::fuzz {

[[noreturn]] inline void Fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "\n==fuzz== invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) std::fprintf(stderr, "==fuzz== %.*s\n", static_cast<int>(detail.size()), detail.data());
  std::abort();
}

#define FUZZ_CHECK(condition, ...) \
  ((condition) ? (void)0 : ::microstore::fuzz::Fail("FUZZ_CHECK(" #condition ")" __VA_OPT__(, ) __VA_ARGS__))

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Inputs that start with a selector line ("register\n{...}"): the line names which reader gets
// the rest, so seed files stay readable. An unknown first line still picks a reader (by its first
// byte) and gives it the whole input, so no execution is wasted.
struct Selected {
  std::size_t index;
  std::string_view rest;
};
template <std::size_t N>
Selected Select(std::string_view input, const char* const (&names)[N]) {
  const auto newline = input.find('\n');
  if (newline != std::string_view::npos) {
    const std::string_view line = input.substr(0, newline);
    for (std::size_t i = 0; i < N; ++i) {
      if (line == names[i]) return {i, input.substr(newline + 1)};
    }
  }
  const std::size_t index = input.empty() ? 0 : static_cast<unsigned char>(input[0]) % N;
  return {index, input};
}

inline bool IsUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!core::NextCodePoint(text, pos)) return false;
  }
  return true;
}

// Text that goes into a response or a log line as it is. JSON escapes control characters, but
// bytes that are not UTF-8 cannot be represented: the renderer would replace them (or throw).
inline bool IsPlainText(std::string_view text) { return IsUtf8(text); }

// Every field problem a service reports: a field (may be empty: the body itself) and a message,
// both fit to be rendered into a 422 body.
template <typename Problems>
void CheckProblems(const Problems& problems, std::string_view where) {
  FUZZ_CHECK(!problems.empty(), std::string(where) + ": refused without saying why");
  for (const auto& problem : problems) {
    FUZZ_CHECK(IsPlainText(problem.field), std::string(where) + ": field is not plain text: " + problem.field);
    FUZZ_CHECK(!problem.message.empty(), std::string(where) + ": empty message for " + problem.field);
    FUZZ_CHECK(IsPlainText(problem.message), std::string(where) + ": message is not plain text");
  }
  // What the server renders: must not throw, whatever the texts hold.
  const http::HttpError error = http::ValidationFailed(problems);
  const http::Response response = http::Problem(error.status(), error.code(), error.what(), nullptr, error.errors());
  FUZZ_CHECK(response.status == 422);
}

// A request as the server hands it to a handler: JSON body, the given target.
inline http::Request JsonRequest(std::string_view body, std::string target = "/") {
  http::Request request;
  request.method = http::Method::kPost;
  request.target = std::move(target);
  request.headers.Add("Content-Type", "application/json");
  request.body = std::string(body);
  return request;
}

// Runs what a handler runs before its own logic; the only exception allowed out is HttpError
// with a 4xx status among `allowed` (the server renders it). Returns false when one was thrown.
template <typename F>
bool AllowingHttpErrors(std::initializer_list<int> allowed, F&& f) {
  try {
    std::forward<F>(f)();
    return true;
  } catch (const http::HttpError& e) {
    bool known = false;
    for (const int status : allowed) known = known || e.status() == status;
    FUZZ_CHECK(known, "unexpected status " + std::to_string(e.status()) + ": " + e.what());
    FUZZ_CHECK(!e.code().empty() && IsPlainText(e.what()), "an HttpError without code or with a bad detail");
    for (const auto& field : e.errors()) FUZZ_CHECK(IsPlainText(field.field) && IsPlainText(field.message));
    return false;
  }
}

// Wraps a harness body: any exception that escapes is a finding.
template <typename F>
int Guarded(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const std::exception& e) {
    Fail("an exception escaped", e.what());
  } catch (...) {
    Fail("a non-standard exception escaped");
  }
  return 0;
}

}  // namespace microstore::fuzz
