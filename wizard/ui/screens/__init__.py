"""The wizard's screens: Welcome, the four steps, Done, and the modal dialogs."""
