#pragma once
// Renderings of model and query values shared by the commands: JSON (Json) for
// `--format json`, so that one value always has one shape (intervals carry ISO 8601 bounds,
// precision and the human text; nodes carry key, kind and label; enums their snake_case names),
// and one-line texts for tables. Pure functions.

#include <nlohmann/json.hpp>

#include "cli/context.h"
#include "model/types.h"
#include "query/actor_view.h"

namespace geokg::cli {

Json ToJson(const Interval& interval);
Json ToJson(const Location& location);
Json ToJson(const query::NodeRef& ref);
Json ToJson(const query::SourceRef& source);
Json ToJson(const query::Participant& participant);
Json ToJson(const query::EventView& event);
Json ToJson(const query::RelationView& relation);
Json ToJson(const query::StatementView& statement);
Json ToJson(const Actor& actor);
Json ToJson(const query::ActorView& view);

// Actors with their roles, one entry per actor: "Vladimir Putin (initiator, host); Kim Jong Un
// (visitor)". A role's status is shown only where it differs from `event_status`.
std::string ParticipantsText(const std::vector<query::Participant>& participants,
                             FactStatus event_status);
// Sources in one line: the first one, and "+N" more when `all` is false.
std::string SourcesText(const std::vector<query::SourceRef>& sources, bool all);
// "Le Monde, \"Title\" (2023-09-11)": a source in one line for tables.
std::string SourceLine(const query::SourceRef& source);
// "Russia (RUS)", "Vladivostok, RUS", or "unknown".
std::string LocationLine(const Location& location);

}  // namespace geokg::cli
