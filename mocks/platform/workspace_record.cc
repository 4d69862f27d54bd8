#include "mocks/platform/workspace_record.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <random>
#include <set>
#include <thread>
#include <utility>

namespace taskbounds {
namespace {

bool IsHex(char c, bool lower_only) {
  if (c >= '0' && c <= '9') {
    return true;
  }
  if (c >= 'a' && c <= 'f') {
    return true;
  }
  return !lower_only && c >= 'A' && c <= 'F';
}

}  // namespace

std::string NewUuid() {
  // One engine per thread: UUIDs need no lock (A2A replies are built outside the state lock).
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   std::hash<std::thread::id>{}(std::this_thread::get_id()));
  std::uint64_t hi = rng();
  std::uint64_t lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

bool IsUuid(const std::string& s, bool lower_only) {
  if (s.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') {
        return false;
      }
    } else if (!IsHex(s[i], lower_only)) {
      return false;
    }
  }
  return true;
}

std::string LowerId(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

bool IsRemovedAt(const Workspace& ws, TimePoint t) { return ws.removed_at && t >= *ws.removed_at; }

Workspace* WorkspaceTable::Find(const std::string& id) {
  auto it = by_id_.find(LowerId(id));
  return it == by_id_.end() ? nullptr : &it->second;
}

const Workspace* WorkspaceTable::Find(const std::string& id) const {
  auto it = by_id_.find(LowerId(id));
  return it == by_id_.end() ? nullptr : &it->second;
}

void WorkspaceTable::Insert(Workspace ws) {
  creation_order_.push_back(ws.id);
  std::string id = ws.id;
  by_id_.emplace(std::move(id), std::move(ws));
}

void WorkspaceTable::Purge(const std::string& id) {
  by_id_.erase(id);
  creation_order_.erase(std::remove(creation_order_.begin(), creation_order_.end(), id),
                        creation_order_.end());
}

std::vector<std::string> WorkspaceTable::LiveIdsAt(TimePoint t) const {
  std::vector<std::string> ids;
  for (const std::string& id : creation_order_) {
    const Workspace& ws = by_id_.at(id);
    if (!ws.removed_at || *ws.removed_at > t) {
      ids.push_back(id);
    }
  }
  return ids;
}

std::vector<const Workspace*> WorkspaceTable::LiveChildrenAt(const std::string& parent,
                                                             TimePoint t) const {
  std::vector<const Workspace*> children;
  for (const std::string& id : creation_order_) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) {
      continue;
    }
    const Workspace& ws = it->second;
    if (ws.parent_id == parent && ws.id != parent && !IsRemovedAt(ws, t)) {
      children.push_back(&ws);
    }
  }
  return children;
}

std::vector<std::string> WorkspaceTable::LiveDescendantsAt(const std::string& root,
                                                           TimePoint t) const {
  std::vector<std::string> descendants;
  std::set<std::string> seen = {root};
  std::vector<std::string> frontier = {root};
  while (!frontier.empty()) {
    const std::string parent = frontier.back();
    frontier.pop_back();
    for (const Workspace* child : LiveChildrenAt(parent, t)) {
      if (seen.insert(child->id).second) {
        descendants.push_back(child->id);
        frontier.push_back(child->id);
      }
    }
  }
  return descendants;
}

}  // namespace taskbounds
