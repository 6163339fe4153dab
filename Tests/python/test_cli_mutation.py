"""A few hundred mutated configs, sweep specs and run directories through the real binary
(cli_mutation.py runs the long campaigns): no signal, no hang, exit 2 names the place, nothing written."""
import cli_mutation


def test_mutated_inputs_work_or_exit_two_naming_the_place(tmp_path):
    c = cli_mutation.campaign(cases=400, seed=7, work=tmp_path)
    assert c.failures == []
    assert set(c.codes) <= {0, 1, 2}
    # The campaign means something only if each command saw inputs it accepted and inputs it refused.
    for command in ("validate", "sweep", "analyze"):
        assert c.commands[command, 0] > 0 and c.commands[command, 2] > 0, (command, c.commands)
    assert c.commands["run", 0] > 0
