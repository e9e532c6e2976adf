#pragma once

#include <QStringList>

// `nodescope snapshot --pid PID --out FILE [--force]`
int runSnapshotCommand(const QStringList& arguments);
