"""The registry of persons: committee members, the Program Director and Officers,
working-group experts, center directors and PIs, and the people behind login accounts."""
