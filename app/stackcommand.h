#pragma once

#include <QStringList>

// `nodescope stack --pid PID [--json]`
int runStackCommand(const QStringList& arguments);
