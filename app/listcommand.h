#pragma once

#include <QStringList>

// `nodescope list [--all] [--json]`
int runListCommand(const QStringList& arguments);
