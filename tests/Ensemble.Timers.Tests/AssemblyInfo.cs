// Each test runs real web processes and measures time: one at a time, so they do not compete for the CPUs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
