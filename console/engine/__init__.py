"""Qt-free discrete-event simulation of the SMS 2.0 Standard Sender."""
