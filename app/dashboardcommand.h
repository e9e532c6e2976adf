#pragma once

// `nodescope [--pid PID]`: the dashboard.
int runDashboard(int argc, char** argv);
